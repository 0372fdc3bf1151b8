using System.Text.Json;
using Damon.Records.Model;

namespace Damon.Records.IO;

/// <summary>
/// Reads damo's JSON record list from a stream with <see cref="Utf8JsonReader"/> over a
/// refilled buffer, one snapshot at a time, so the JSON can be of any size: memory is the record
/// model plus the largest snapshot's text. The checks are those of
/// <see cref="JsonRecordReader.Parse"/> (it validates each snapshot and each record's other
/// fields with the same code); a syntax error is located at the byte where the token that failed
/// starts (within the JSON, after a byte order mark).
/// </summary>
internal sealed class JsonRecordStreamReader
{
    private readonly Stream _input;
    private readonly string _filePath;
    private readonly string _contentDescription;
    private readonly JsonRecordReader.Walker _walker;
    private byte[] _buffer;
    private int _start, _end;
    /// <summary>Offset in the JSON of <c>_buffer[0]</c>.</summary>
    private long _bufferOffset;
    private bool _eof;
    private JsonReaderState _state = new(new JsonReaderOptions { MaxDepth = JsonRecordReader.MaxDepth });

    internal JsonRecordStreamReader(Stream input, string filePath, string contentDescription = "JSON", int bufferBytes = 4 << 20)
    {
        _input = input;
        _filePath = filePath;
        _contentDescription = contentDescription;
        _walker = new JsonRecordReader.Walker(filePath);
        _buffer = new byte[bufferBytes];
    }

    public static List<DamonRecord> Parse(Stream input, string filePath, string contentDescription = "JSON") =>
        RecordSource.ToRecords(new JsonRecordStreamReader(input, filePath, contentDescription).Events());

    /// <summary>Snapshots read through the token fast path (the rest went through a JsonDocument): for tests.</summary>
    internal int FastSnapshots { get; private set; }

    /// <summary>
    /// The records as events, each snapshot handed out as soon as it is parsed and not kept: the
    /// reader holds the unread part of its buffer and nothing else of the records.
    /// </summary>
    public IEnumerable<RecordEvent> Events()
    {
        Fill();
        if (_end - _start >= 3 && _buffer.AsSpan(_start, 3).SequenceEqual("\uFEFF"u8))
        {
            _start += 3;
            _bufferOffset = -3;
        }
        var token = Next();
        if (token != JsonTokenType.StartArray)
            throw _walker.Error("$", $"a JSON list of records, found {Kind(token)}");
        int index = 0;
        while ((token = Next()) != JsonTokenType.EndArray)
        {
            string path = $"$[{index}]";
            if (token != JsonTokenType.StartObject)
                throw _walker.Error(path, $"a record object, found {Kind(token)}");
            foreach (var e in Record(path, index)) yield return e;
            index++;
        }
        if (Next() is var after && after != JsonTokenType.None)
            throw Syntax("the end of the JSON after the list of records");
    }

    /// <summary>Reads a record's fields after its '{'; snapshots are walked one by one, the other fields gathered and walked together.</summary>
    private IEnumerable<RecordEvent> Record(string path, int index)
    {
        using var headerJson = new MemoryStream();
        bool sawSnapshots = false, started = false;
        using (var header = new Utf8JsonWriter(headerJson))
        {
            header.WriteStartObject();
            JsonTokenType token;
            while ((token = Next()) != JsonTokenType.EndObject)
            {
                string name = _lastString!;
                if (name == "snapshots" && PeekIsArray())
                {
                    if (!started)
                    {
                        started = true;
                        yield return RecordEvent.Start(index, Preliminary(header, headerJson, path));
                    }
                    sawSnapshots = true;
                    Next();
                    int nr = 0;
                    while (PeekNotEnd())
                        yield return RecordEvent.Of(index, Snapshot($"{path}.snapshots[{nr++}]"));
                    Next();
                    continue;
                }
                using var value = Value();
                header.WritePropertyName(name);
                value.RootElement.WriteTo(header);
            }
            header.WriteEndObject();
        }
        using var headerDoc = JsonDocument.Parse(headerJson.ToArray());
        var record = Decoded(() => _walker.Header(headerDoc.RootElement, path));
        // Without a list here, the walker words the error as for a small file.
        if (!sawSnapshots) _walker.RequireSnapshots(headerDoc.RootElement, path);
        if (!started) yield return RecordEvent.Start(index, record);
        yield return RecordEvent.End(index, record);
    }

    /// <summary>
    /// The header from the keys before the snapshots. A bad one is reported at the record's end,
    /// after its snapshots, as a whole-file read orders the errors; until then an empty header stands in.
    /// </summary>
    private DamonRecord Preliminary(Utf8JsonWriter header, MemoryStream headerJson, string path)
    {
        header.Flush();
        var json = new byte[headerJson.Length + 1];
        headerJson.GetBuffer().AsSpan(0, (int)headerJson.Length).CopyTo(json);
        json[^1] = (byte)'}';
        try
        {
            using var doc = JsonDocument.Parse(json);
            return _walker.Header(doc.RootElement, path);
        }
        catch (Exception e) when (e is RecordFormatException or InvalidOperationException or JsonException)
        {
            return new DamonRecord();
        }
    }

    /// <summary>The next snapshot: over its tokens when it has the shape writers produce, else walked as a document (which words any error).</summary>
    private DamonSnapshot Snapshot(string path)
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
            JsonSnapshotTokens.Outcome outcome;
            DamonSnapshot fast;
            try
            {
                outcome = JsonSnapshotTokens.TryRead(ref reader, out fast);
            }
            catch (JsonException)
            {
                break;
            }
            if (outcome == JsonSnapshotTokens.Outcome.NeedMore && !_eof)
            {
                Fill();
                continue;
            }
            if (outcome != JsonSnapshotTokens.Outcome.Read) break;
            try
            {
                _walker.Validate(fast, path);
            }
            catch (RecordFormatException)
            {
                break;
            }
            FastSnapshots++;
            _start += (int)reader.BytesConsumed;
            _state = reader.CurrentState;
            return fast;
        }
        // The walk reports any problem exactly as a whole-file read would.
        using var snapshot = Value();
        return Decoded(() => _walker.Snapshot(snapshot.RootElement, path));
    }

    /// <summary>Strings are decoded when the walker reads them; bad UTF-8 or a lone surrogate escape is damage there.</summary>
    private T Decoded<T>(Func<T> walk)
    {
        try
        {
            return walk();
        }
        catch (InvalidOperationException e)
        {
            throw Syntax("UTF-8 text and valid \\u escapes in strings", e);
        }
    }

    private string? _lastString;

    /// <summary>The next token; a property name is kept in <see cref="_lastString"/>. None at the end of the input.</summary>
    private JsonTokenType Next()
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
            bool ok;
            try
            {
                ok = reader.Read();
            }
            catch (JsonException e)
            {
                throw Syntax(null, e);
            }
            if (ok)
            {
                if (reader.TokenType == JsonTokenType.PropertyName) _lastString = GetString(ref reader);
                _start += (int)reader.BytesConsumed;
                _state = reader.CurrentState;
                return reader.TokenType;
            }
            if (_eof) return JsonTokenType.None;
            Fill();
        }
    }

    private bool PeekIsArray() => Peek() == JsonTokenType.StartArray;

    private bool PeekNotEnd() => Peek() is not (JsonTokenType.EndArray or JsonTokenType.None);

    private JsonTokenType Peek()
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
            try
            {
                if (reader.Read()) return reader.TokenType;
            }
            catch (JsonException e)
            {
                throw Syntax(null, e);
            }
            if (_eof) return JsonTokenType.None;
            Fill();
        }
    }

    /// <summary>The next whole value, with the buffer grown until it holds all of it.</summary>
    private JsonDocument Value()
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
            var probe = reader;
            bool complete;
            try
            {
                complete = probe.Read() && probe.TrySkip();
            }
            catch (JsonException e)
            {
                throw Syntax(null, e);
            }
            if (complete)
            {
                JsonDocument doc;
                try
                {
                    // Positioned on the value's first token, as ParseValue expects.
                    reader.Read();
                    doc = JsonDocument.ParseValue(ref reader);
                }
                catch (JsonException e)
                {
                    throw Syntax(null, e);
                }
                _start += (int)reader.BytesConsumed;
                _state = reader.CurrentState;
                return doc;
            }
            if (_eof) throw Syntax(null);
            Fill();
        }
    }

    private string GetString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw Syntax("UTF-8 text and valid \\u escapes in strings", e);
        }
    }

    /// <summary>Moves the unread bytes to the front and reads more, doubling the buffer when a value fills it.</summary>
    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _bufferOffset += _start;
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= Array.MaxLength / 2)
                throw new RecordFormatException(_filePath, JsonRecordReader.Where(_bufferOffset, _contentDescription),
                    "a JSON value (a snapshot or a record field) of less than 1 GiB");
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        // Filled whole: an inflating stream returns a few KiB a read, and a value that does not fit
        // yet is tokenized again from its start after each refill.
        int n = _input.ReadAtLeast(_buffer.AsSpan(_end), _buffer.Length - _end, throwOnEndOfStream: false);
        if (n == 0) _eof = true;
        _end += n;
    }

    private RecordFormatException Syntax(string? expected, Exception? inner = null)
    {
        long at = _bufferOffset + _start;
        if (_eof && (_start >= _end - WhitespaceTail() || IsCutShort()))
            return new RecordFormatException(_filePath, JsonRecordReader.Where(at, _contentDescription),
                $"more JSON, but the {_contentDescription} ends after {_bufferOffset + _end} bytes (truncated file?)", inner);
        string detail = inner is JsonException je ? $" ({OneLine(je)})" : "";
        return new RecordFormatException(_filePath, JsonRecordReader.Where(at, _contentDescription),
            expected ?? $"well-formed JSON{detail}", inner);
    }

    /// <summary>Whether the rest of the input is valid JSON that just stops (a truncated file) rather than bad JSON.</summary>
    private bool IsCutShort()
    {
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), isFinalBlock: false, _state);
        try
        {
            while (reader.Read()) { }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private int WhitespaceTail()
    {
        int n = 0;
        for (int i = _end - 1; i >= _start && _buffer[i] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'; i--) n++;
        return n;
    }

    private static string OneLine(JsonException e) => e.Message.Split('\n')[0].Split(" LineNumber:")[0].TrimEnd('.', ' ');

    private static string Kind(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "a list",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => "nothing",
    };
}
