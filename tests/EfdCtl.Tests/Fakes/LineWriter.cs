using System.Text;

namespace EfdCtl.Tests.Fakes;

/// <summary>A TextWriter that keeps what was written and lets a test await the n-th complete line.</summary>
internal sealed class LineWriter : TextWriter
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _text = new();
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];
    private int _lines;

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_gate)
        {
            _text.Append(value);
            if (value != '\n')
            {
                return;
            }

            _lines++;
            foreach ((int count, TaskCompletionSource done) in _waiters.Where(w => w.Count <= _lines).ToList())
            {
                done.TrySetResult();
            }
        }
    }

    public Task WaitForLinesAsync(int count)
    {
        lock (_gate)
        {
            if (_lines >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, done));
            return done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return _text.ToString();
        }
    }

    public string[] Lines => ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
