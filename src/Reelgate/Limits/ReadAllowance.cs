namespace Reelgate.Limits;

/// <summary>
/// Marks an endpoint that reads the caller's own jobs: its calls count against the key's read allowance
/// (RateLimit:ReadRequests), so a client polling for a result does not use up the limit on creating work.
/// </summary>
public sealed class ReadAllowance
{
    public static readonly ReadAllowance Instance = new();

    private ReadAllowance()
    {
    }
}

public static class ReadAllowanceExtensions
{
    public static TBuilder CountsAsRead<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(ReadAllowance.Instance);
}
