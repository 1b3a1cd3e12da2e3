using Reelgate.Common;
using Microsoft.AspNetCore.Components;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace Reelgate.Web.Components.Shared;

/// <summary>Base for pages that act for the signed-in user.</summary>
public abstract class UserPage : ComponentBase
{
    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    protected ClaimsPrincipal User { get; private set; } = new();

    protected Guid UserId => User.UserId();

    protected override async Task OnInitializedAsync()
    {
        User = AuthenticationState is null ? new ClaimsPrincipal() : (await AuthenticationState).User;
        await LoadAsync();
    }

    protected abstract Task LoadAsync();
}
