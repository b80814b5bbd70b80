using OmniBridge.Grains.Codegen;
using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Tests.Grains.Codegen;

/// <summary>Names as a user writes them become Python names that keep their words (docs/protocol.md, "Code generation").</summary>
public sealed class IdentifierTests
{
    [Theory]
    [InlineData("CustomerAccount", "CustomerAccount")]
    [InlineData("customerAccount", "CustomerAccount")]
    [InlineData("customer_account", "CustomerAccount")]
    [InlineData("customer-account", "CustomerAccount")]
    [InlineData("customer account", "CustomerAccount")]
    [InlineData("record", "Record")]
    [InlineData("HTTPServer", "HTTPServer")]
    [InlineData("user ID", "UserID")]
    [InlineData("OAuth2Token", "OAuth2Token")]
    [InlineData("invoice_v2", "InvoiceV2")]
    [InlineData("ipv6-address", "Ipv6Address")]
    [InlineData("__private__name__", "PrivateName")]
    public void A_class_name_keeps_the_words_of_the_name(string name, string className) =>
        Assert.Equal(className, Identifiers.ToClassName(name));

    [Theory]
    [InlineData("CustomerAccount", "customer_account")]
    [InlineData("customerAccount", "customer_account")]
    [InlineData("customer_account", "customer_account")]
    [InlineData("customer-account", "customer_account")]
    [InlineData("HTTPServer", "http_server")]
    [InlineData("getHTTPResponseCode", "get_http_response_code")]
    [InlineData("userID", "user_id")]
    [InlineData("OAuth2Token", "o_auth2_token")]
    [InlineData("invoice_v2", "invoice_v2")]
    [InlineData("Record ID", "record_id")]
    [InlineData("  created--at  ", "created_at")]
    public void A_python_name_is_snake_case_with_the_same_words(string name, string snake) =>
        Assert.Equal(snake, Identifiers.ToSnake(name));

    [Theory]
    [InlineData("2fa")]
    [InlineData("---")]
    [InlineData("")]
    public void A_name_that_cannot_start_a_python_identifier_has_none(string name) => Assert.Null(Identifiers.ToSnake(name));

    [Fact]
    public async Task A_PascalCase_data_model_is_generated_as_its_class_and_the_package_compiles()
    {
        var kit = new CodegenKit();
        var requirements = CodegenKit.Requirements("effect", "accounts", "Keeps customer accounts", ["open", "close"]) with
        {
            DataModels = [new DataModelSpec("CustomerAccount", [new DataFieldSpec("accountId", "str"), new DataFieldSpec("OpenedAt", "str")])],
        };
        var files = kit.Render(requirements);

        var models = string.Concat(files.Where(f => f.Path.StartsWith("models/", StringComparison.Ordinal)).Select(f => f.Content));
        Assert.Matches(@"(?m)^class ModelCustomerAccount\b", models);
        Assert.Contains("account_id", models, StringComparison.Ordinal);
        Assert.Contains("opened_at", models, StringComparison.Ordinal);
        var findings = await kit.Validation.ValidateAsync(NodePlan.For(requirements), files, ValidationLevels.Standard);
        Assert.Empty(findings.Errors);
    }
}
