using Reelgate.Common;
using Microsoft.AspNetCore.Components;
using Reelgate.Web.Components.Shared;

namespace Reelgate.Web.Components.Admin;

/// <summary>Admin pages answer 403 with an explanation to signed-in users who are not admins.</summary>
public abstract class AdminPage : UserPage
{
    [CascadingParameter] private HttpContext? HttpContext { get; set; }

    protected bool Allowed { get; private set; }

    protected sealed override async Task LoadAsync()
    {
        Allowed = User.IsAdmin();
        if (!Allowed)
        {
            if (HttpContext is { Response.HasStarted: false }) HttpContext.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        await LoadAdminAsync();
    }

    protected abstract Task LoadAdminAsync();
}
