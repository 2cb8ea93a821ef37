using System.Text;

namespace EfdCtl.Output;

/// <summary>A plain text table: a header row, columns padded to their widest cell, numbers right-aligned.</summary>
internal sealed class TextTable
{
    private readonly string[] _header;
    private readonly bool[] _rightAligned;
    private readonly List<string[]> _rows = [];

    public TextTable(params (string Title, bool RightAligned)[] columns)
    {
        _header = [.. columns.Select(c => c.Title)];
        _rightAligned = [.. columns.Select(c => c.RightAligned)];
    }

    public void Add(params string[] cells)
    {
        if (cells.Length != _header.Length)
        {
            throw new ArgumentException($"expected {_header.Length} cells", nameof(cells));
        }

        _rows.Add(cells);
    }

    public void WriteTo(StringBuilder output, string indent)
    {
        int[] widths = [.. _header.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max())];
        WriteRow(output, indent, _header, widths);
        foreach (string[] row in _rows)
        {
            WriteRow(output, indent, row, widths);
        }
    }

    private void WriteRow(StringBuilder output, string indent, string[] cells, int[] widths)
    {
        var line = new StringBuilder(indent);
        for (int i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                line.Append("  ");
            }

            line.Append(_rightAligned[i] ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i]));
        }

        output.Append(line.ToString().TrimEnd()).Append('\n');
    }
}
