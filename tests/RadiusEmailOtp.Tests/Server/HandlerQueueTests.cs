using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;
using RadiusEmailOtp.Server;

namespace RadiusEmailOtp.Tests.Server;

[TestFixture]
public sealed class HandlerQueueTests
{
    private static readonly TimeSpan s_maxRequestTime = TimeSpan.FromSeconds(5);
    private FakeTimeProvider _time = null!;

    [SetUp]
    public void SetUp() => _time = new FakeTimeProvider();

    [Test]
    public void Free_slots_start_at_once_and_a_full_house_queues_in_arrival_order()
    {
        var queue = new HandlerQueue<string>(_time, 2, s_maxRequestTime);

        Assert.That(Enter(queue, "a"), Is.EqualTo(HandlerQueue<string>.Admission.Start));
        Assert.That(Enter(queue, "b"), Is.EqualTo(HandlerQueue<string>.Admission.Start));
        Assert.That(Enter(queue, "c"), Is.EqualTo(HandlerQueue<string>.Admission.Queued));
        Assert.That(Enter(queue, "d"), Is.EqualTo(HandlerQueue<string>.Admission.Queued));
        Assert.That((queue.Running, queue.Waiting), Is.EqualTo((2, 2)));

        List<(string, TimeSpan)>? shed = null;
        Assert.That(queue.Leave(ref shed), Is.EqualTo("c"), "the slot passes to the oldest waiter");
        Assert.That(queue.Leave(ref shed), Is.EqualTo("d"));
        Assert.That(queue.Leave(ref shed), Is.Null);
        Assert.That(queue.Leave(ref shed), Is.Null);
        Assert.That(shed, Is.Null);
        Assert.That((queue.Running, queue.Waiting), Is.EqualTo((0, 0)));
        Assert.That(Enter(queue, "e"), Is.EqualTo(HandlerQueue<string>.Admission.Start), "freed slots are usable again");
    }

    [Test]
    public void A_waiter_past_max_request_time_is_shed_when_a_slot_frees_and_the_next_one_in_time_gets_the_slot()
    {
        var queue = OneSlotHeld("old");
        _time.Advance(TimeSpan.FromSeconds(2));
        Enter(queue, "young");
        _time.Advance(TimeSpan.FromSeconds(4));

        List<(string Item, TimeSpan Waited)>? shed = null;
        var next = queue.Leave(ref shed);

        Assert.That(next, Is.EqualTo("young"), "waited 4 s of 5: still in time");
        Assert.That(shed, Is.EqualTo(new[] { ("old", TimeSpan.FromSeconds(6)) }));
        Assert.That(queue.Running, Is.EqualTo(1));
    }

    [Test]
    public void Sweep_sheds_waiters_past_max_request_time_while_no_slot_frees()
    {
        var queue = OneSlotHeld("first");
        _time.Advance(TimeSpan.FromSeconds(1));
        Enter(queue, "second");
        List<(string Item, TimeSpan Waited)>? shed = null;

        _time.Advance(TimeSpan.FromSeconds(4));
        queue.Sweep(ref shed);
        Assert.That(shed, Is.Null, "5 s is not past max_request_time");

        _time.Advance(TimeSpan.FromSeconds(1));
        queue.Sweep(ref shed);
        Assert.That(shed!.Select(s => s.Item), Is.EqualTo(new[] { "first" }));
        Assert.That(queue.Waiting, Is.EqualTo(1));
        Assert.That(queue.Running, Is.EqualTo(1), "a sweep frees no running slot");
    }

    [Test]
    public void An_arrival_behind_a_waiter_older_than_half_of_max_request_time_is_refused_at_once()
    {
        var queue = OneSlotHeld("waiting");
        _time.Advance(TimeSpan.FromMilliseconds(2499));
        Assert.That(Enter(queue, "in time"), Is.EqualTo(HandlerQueue<string>.Admission.Queued));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        var admission = queue.Enter("too late", _time.GetTimestamp(), out var oldestWait);

        Assert.That(admission, Is.EqualTo(HandlerQueue<string>.Admission.Refused));
        Assert.That(oldestWait, Is.EqualTo(TimeSpan.FromMilliseconds(2500)));
        Assert.That(queue.Waiting, Is.EqualTo(2), "a refused request is not queued");
    }

    [Test]
    public void A_free_slot_starts_a_request_even_after_the_queue_was_old()
    {
        var queue = OneSlotHeld("waiting");
        _time.Advance(TimeSpan.FromSeconds(4));
        List<(string, TimeSpan)>? shed = null;
        Assert.That(queue.Leave(ref shed), Is.EqualTo("waiting"));
        Assert.That(queue.Leave(ref shed), Is.Null);

        Assert.That(Enter(queue, "fresh"), Is.EqualTo(HandlerQueue<string>.Admission.Start));
    }

    /// <summary>A queue with one slot, taken by "running", and <paramref name="waiting"/> queued behind it at the current time.</summary>
    private HandlerQueue<string> OneSlotHeld(params string[] waiting)
    {
        var queue = new HandlerQueue<string>(_time, 1, s_maxRequestTime);
        Assert.That(Enter(queue, "running"), Is.EqualTo(HandlerQueue<string>.Admission.Start));
        foreach (var item in waiting)
        {
            Assert.That(Enter(queue, item), Is.EqualTo(HandlerQueue<string>.Admission.Queued));
        }

        return queue;
    }

    private HandlerQueue<string>.Admission Enter(HandlerQueue<string> queue, string item) =>
        queue.Enter(item, _time.GetTimestamp(), out _);
}
