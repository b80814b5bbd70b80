using System.Globalization;
using System.Text.Json;
using OmniBridge.Api.Errors;
using OmniBridge.Api.Requests;
using OmniBridge.Api.Responses;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Stamping;

namespace OmniBridge.Api.Stamping;

/// <summary>
/// The items of a batch or a workflow, read one by one: each becomes a command, or a refusal with
/// the code and field /stamp would have given (fields prefixed with <c>items[i].</c>).
/// </summary>
public static class BatchItems
{
    /// <summary>One item read: its id (its own, or its index) and its command or its refusal.</summary>
    public sealed record class Item(int Index, string Id, StampCommand? Command, ApiError? Refusal);

    /// <summary>Requires 1 to <see cref="Limits.BatchItems"/> items: none is EMPTY_BATCH, too many BATCH_TOO_LARGE.</summary>
    public static List<JsonElement> RequireCount(List<JsonElement>? items, string what) =>
        items switch
        {
            null => throw ApiException.Validation("items", $"items is required: an array of 1 to {Limits.BatchItems} items"),
            { Count: 0 } => throw new ApiException(400, ErrorCodes.EmptyBatch, "items", $"the {what} has no items"),
            { Count: > Limits.BatchItems } => throw new ApiException(400, ErrorCodes.BatchTooLarge, "items", $"a {what} holds at most {Limits.BatchItems} items, not {items.Count}"),
            _ => items,
        };

    /// <summary>
    /// The <c>items</c> of a parsed body as elements of the body's own document, valid while it is
    /// (null when absent). Binding them as a list of elements would copy each item into a document
    /// of its own first: a fifteenth of what a silo allocated per item of a batch.
    /// </summary>
    public static List<JsonElement>? Borrow(JsonElement body) =>
        !body.TryGetProperty("items", out var items) ? null
        : items.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.Array => [.. items.EnumerateArray()],
            _ => throw ApiException.Validation("items", "items must be a JSON array"),
        };

    public static IEnumerable<Item> Read(IReadOnlyList<JsonElement> items, string defaultNamespace, StampType defaultForm) =>
        Read(items, defaultNamespace, defaultForm, 0, items.Count);

    /// <summary>The <paramref name="count"/> items from <paramref name="first"/> on, with their indexes in the whole list.</summary>
    public static IEnumerable<Item> Read(IReadOnlyList<JsonElement> items, string defaultNamespace, StampType defaultForm, int first, int count)
    {
        for (var i = first; i < first + count; i++)
        {
            var prefix = $"items[{i}].";
            var id = IdOf(items[i], i);
            Item read;
            try
            {
                var item = JsonBody.Bind<BatchItemRequest>(items[i], prefix);
                if (item.Id is { ValueKind: not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null) })
                    throw ApiException.Validation(prefix + "id", "id must be a string or a number");
                read = new Item(i, id, item.ToCommand(defaultNamespace, defaultForm, prefix), null);
            }
            catch (ApiException refused)
            {
                read = new Item(i, id, null, new ApiError(refused.Code, refused.Field, refused.Message));
            }
            catch (StampCommandException refused)
            {
                read = new Item(i, id, null, new ApiError(refused.Code, refused.Field, refused.Message));
            }
            yield return read;
        }
    }

    /// <summary>The item's own id (a string or a number), else its index; an id of another type fails the item, which keeps its index.</summary>
    static string IdOf(JsonElement item, int index)
    {
        var fallback = index.ToString(CultureInfo.InvariantCulture);
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("id", out var id)) return fallback;
        return id.ValueKind switch
        {
            JsonValueKind.String => id.GetString()!,
            JsonValueKind.Number => id.GetRawText(),
            _ => fallback,
        };
    }
}
