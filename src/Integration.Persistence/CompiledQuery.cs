using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Integration.Persistence;

/// <summary>
/// An EF Core compiled query (EF.CompileAsyncQuery), compiled once per model that runs it. EF binds a compiled query to
/// the first model it meets and throws for any other; the hub has one model per host, but a process can hold several
/// hosts (the end-to-end tests run hubs on SQLite and on PostgreSQL side by side), each with a model of its own.
/// The models are held weakly: a stopped host's compiled queries go with its model.
/// </summary>
/// <typeparam name="TQuery">The delegate EF.CompileAsyncQuery returns.</typeparam>
public sealed class CompiledQuery<TQuery> where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _byModel = new();
    private readonly ConditionalWeakTable<IModel, TQuery>.CreateValueCallback _compile;

    /// <param name="compile">Calls EF.CompileAsyncQuery with the query's expression.</param>
    public CompiledQuery(Func<TQuery> compile)
    {
        ArgumentNullException.ThrowIfNull(compile);
        _compile = _ => compile();
    }

    /// <summary>The query compiled for this context's model.</summary>
    public TQuery For(DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return _byModel.GetValue(db.Model, _compile);
    }
}
