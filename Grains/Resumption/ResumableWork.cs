namespace OmniBridge.Grains.Resumption;

/// <summary>
/// How a grain whose work must outlive its silo (a workflow, a code generation) keeps going
/// (docs/architecture.md, "Work that outlives a silo"). A reminder, registered before the work's
/// first save, fires while the work is unfinished (as often as the grain asks: a workflow every
/// 10 s, a code generation session every minute); whichever silo it fires on
/// activates the grain there, and the grain carries on from its last saved state. The work runs in
/// the background on the grain's own scheduler, one run at a time, interleaving with calls so that
/// reads answer while it runs. A run starts when a call accepts the work, when an activation finds
/// its saved state unfinished, and when the reminder fires; a run already under way is joined, not
/// repeated.
/// </summary>
public sealed class ResumableWork(Grain grain, Func<CancellationToken, Task> run)
{
    const string ReminderName = "resume";

    TaskCompletionSource? running;
    IGrainTimer? timer;

    /// <summary>Registers the reminder that resumes the work elsewhere if this silo dies. Call it before the work's first save.</summary>
    public Task KeepAliveAsync(TimeSpan every) => grain.RegisterOrUpdateReminder(ReminderName, every, every);

    /// <summary>Removes the reminder, once the work is final and nothing about it remains to record.</summary>
    public async Task ForgetAsync()
    {
        if (await grain.GetReminder(ReminderName) is { } reminder) await grain.UnregisterReminder(reminder);
    }

    /// <summary>Whether <paramref name="reminderName"/> is this work's reminder.</summary>
    public static bool IsItsReminder(string reminderName) => reminderName == ReminderName;

    /// <summary>Starts a run unless one is under way, and returns at once.</summary>
    public void Start() => _ = StartAndWaitAsync();

    /// <summary>Starts a run unless one is under way; the task completes when that run ends (it faults if the run threw).</summary>
    public Task StartAndWaitAsync()
    {
        if (running is { } current) return current.Task;
        var started = running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        timer = grain.RegisterGrainTimer(async cancellationToken =>
        {
            try
            {
                await run(cancellationToken);
                started.TrySetResult();
            }
            catch (Exception e)
            {
                started.TrySetException(e);
            }
            finally
            {
                timer?.Dispose();
                timer = null;
                running = null;
            }
        }, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan) { Interleave = true });
        return started.Task;
    }
}
