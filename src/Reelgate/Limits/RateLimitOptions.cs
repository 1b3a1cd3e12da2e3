namespace Reelgate.Limits;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimit";
    /// <summary>Requests per window per key (env RATE_LIMIT_REQUESTS).</summary>
    public int Requests { get; set; } = 100;
    /// <summary>Reads of one's own jobs per window per key, counted apart so polling does not use up the limit (env RATE_LIMIT_READ_REQUESTS).</summary>
    public int ReadRequests { get; set; } = 3600;
    /// <summary>Window length in seconds (env RATE_LIMIT_WINDOW).</summary>
    public int WindowSeconds { get; set; } = 3600;
    /// <summary>The window is tracked in this many buckets.</summary>
    public int Buckets { get; set; } = 60;
    /// <summary>Longest a process serves from its local view before reporting to PostgreSQL.</summary>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>Largest number of requests a process serves between reports.</summary>
    public int MaxBatch { get; set; } = 100;
    /// <summary>When the shared store fails: false serves the request and logs, true answers 503.</summary>
    public bool FailClosed { get; set; }
    /// <summary>Sign-ups per client address (env RATE_LIMIT_REGISTRATIONS, RATE_LIMIT_REGISTRATION_WINDOW).</summary>
    public WindowLimit Registration { get; set; } = new() { Requests = 10, WindowSeconds = 3600 };
    /// <summary>Sign-in attempts per client address, besides each account's lockout (env RATE_LIMIT_LOGINS, RATE_LIMIT_LOGIN_WINDOW).</summary>
    public WindowLimit Login { get; set; } = new() { Requests = 30, WindowSeconds = 900 };
}

public sealed class WindowLimit
{
    public int Requests { get; set; }
    public int WindowSeconds { get; set; }
}
