using OmniBridge.Grains.Codegen;

namespace OmniBridge.Tests.Grains.Codegen;

/// <summary>The llm strategy's prompt within its token budget: requirements first, then patterns, mixins and examples.</summary>
public sealed class LlmPromptTests
{
    static NodePlan Plan() => NodePlan.For(CodegenKit.Requirements("effect", "order_sink", "Stores orders in PostgreSQL and publishes events to Kafka",
        ["create", "read", "publish"], ["retry", "circuit breaker", "metrics", "event publishing", "lifecycle", "kafka health", "database health"]));

    [Fact]
    public void The_prompt_never_exceeds_its_budget_and_higher_priorities_survive_longest()
    {
        var plan = Plan();
        var full = LlmGeneration.GenerationPrompt(plan, 1_000_000);
        Assert.Equal(["Requirements", "Production patterns to include (mix each class into the node and call its hooks)", "Mixins", "Example handler"], full.Kept);
        Assert.Contains("class PatternCircuitBreaker", full.Text, StringComparison.Ordinal);

        string? lastDropped = null;
        for (var budget = LlmGeneration.SystemTokens + 1; budget <= full.Tokens + 400; budget += 37)
        {
            var prompt = LlmGeneration.GenerationPrompt(plan, budget);
            Assert.Equal(PromptBudget.Tokens(prompt.Text), prompt.Tokens);
            Assert.True(prompt.Tokens + LlmGeneration.SystemTokens <= budget, $"{prompt.Tokens} + {LlmGeneration.SystemTokens} tokens for a budget of {budget}");
            // Whatever gave way is always the lowest priority: kept sections precede cut ones, which precede dropped ones.
            var order = full.Kept;
            var seen = prompt.Kept.Concat(prompt.Truncated).Concat(prompt.Dropped).ToList();
            Assert.Equal(order, seen);
            Assert.True(prompt.Truncated.Count <= 1);
            if (prompt.Dropped.Count > 0) lastDropped = prompt.Dropped[0];
            // The requirements are never dropped, and whole once the budget can hold them.
            Assert.DoesNotContain("Requirements", prompt.Dropped);
            Assert.StartsWith("## Requirements\nWrite the node package"[..Math.Min(38, prompt.Text.Length)], prompt.Text, StringComparison.Ordinal);
            if (budget >= 700) Assert.Contains("Requirements", prompt.Kept);
        }
        Assert.NotNull(lastDropped);
    }

    [Fact]
    public void Sections_are_cut_or_dropped_lowest_priority_first()
    {
        PromptSection[] sections = [new("low", 3, new string('l', 4000)), new("high", 0, new string('h', 400)), new("middle", 1, new string('m', 4000))];
        var roomy = PromptBudget.Build(sections, 3000);
        Assert.Equal(["high", "middle", "low"], roomy.Kept);

        var tight = PromptBudget.Build(sections, 1500);
        Assert.Equal(["high", "middle"], tight.Kept);
        Assert.Equal(["low"], tight.Truncated);
        Assert.EndsWith(PromptBudget.TruncationNote, tight.Text, StringComparison.Ordinal);
        Assert.True(tight.Tokens <= 1500);

        var tiny = PromptBudget.Build(sections, 50);
        Assert.Equal(["high"], tiny.Truncated);
        Assert.Equal(["middle", "low"], tiny.Dropped);
        Assert.True(tiny.Tokens <= 50);
    }
}
