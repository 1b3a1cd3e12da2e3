using Microsoft.AspNetCore.Components.Routing;

namespace Reelgate.Web.Components.Layout;

public sealed record NavItem(string Href, string Label, NavLinkMatch Match = NavLinkMatch.Prefix);

/// <summary>The navigation bar and the Create tabs; a new area adds its entry here.</summary>
public static class NavItems
{
    public static readonly IReadOnlyList<NavItem> Primary =
    [
        new("/", "Dashboard", NavLinkMatch.All),
        new("/create/render", "Create"),
        new("/projects", "Projects"),
        new("/jobs", "Jobs"),
        new("/keys", "API keys"),
        new("/usage", "Usage"),
        new("/billing", "Billing"),
        new("/account", "Account"),
    ];

    public static readonly IReadOnlyList<NavItem> Create =
    [
        new("/create/render", "Render a JSON Edit"),
        new("/create/generate", "Generate from an image or text"),
    ];

    public static readonly IReadOnlyList<NavItem> Admin =
    [
        new("/admin", "Users", NavLinkMatch.All),
        new("/admin/jobs", "Jobs"),
        new("/admin/spend", "Spend"),
        new("/admin/ledger", "Ledger"),
    ];
}
