using Integration.Host;

await using var app = HubApplication.Build(args);
await app.RunAsync();
