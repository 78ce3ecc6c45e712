using Integration.Host;

// `hash-password` prints the hash to put in the users file (Access:UsersFile) instead of starting the hub.
if (args is ["hash-password", var password])
{
    Console.WriteLine(Integration.Access.Users.UserDirectory.HashPassword(password));
    return;
}

await using var app = HubApplication.Build(args);
await app.RunAsync();
