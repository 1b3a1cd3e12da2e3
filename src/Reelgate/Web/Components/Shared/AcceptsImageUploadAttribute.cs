namespace Reelgate.Web.Components.Shared;

/// <summary>Marks a page whose form posts an image; its endpoint gets a body limit that fits the largest allowed image.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class AcceptsImageUploadAttribute : Attribute;
