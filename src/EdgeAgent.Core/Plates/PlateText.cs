using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace EdgeAgent.Core.Plates;

/// <summary>
/// A plate read from one frame: up to <see cref="Capacity"/> characters (A-Z, 0-9) with a confidence
/// each, held inline so that per-frame reads live in preallocated arrays and allocate nothing. A string
/// is made only when a vehicle pass is emitted.
/// </summary>
public struct PlateText
{
    public const int Capacity = 12;

    private CharArray _chars;
    private FloatArray _confidence;

    public int Length { get; private set; }
    public PlateLayout Layout { get; set; }
    /// <summary>Two-letter country code (ISO 3166, "GB", "US", ...), or "??" when unknown.</summary>
    public CountryCode Country { get; set; }
    /// <summary>False when the text fits no known pattern: it is kept raw, flagged low confidence.</summary>
    public bool MatchesGrammar { get; set; }

    public readonly char this[int index] => _chars[index];
    public readonly float ConfidenceAt(int index) => _confidence[index];

    [UnscopedRef]
    public readonly ReadOnlySpan<char> Chars => ((ReadOnlySpan<char>)_chars)[..Length];

    public void Clear()
    {
        Length = 0;
        Layout = PlateLayout.Unknown;
        Country = CountryCode.Unknown;
        MatchesGrammar = false;
    }

    /// <summary>Appends a character; returns false when the plate is full.</summary>
    public bool Append(char c, float confidence)
    {
        if (Length == Capacity) return false;
        _chars[Length] = c;
        _confidence[Length] = confidence;
        Length++;
        return true;
    }

    public void Set(int index, char c, float confidence)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Length);
        _chars[index] = c;
        _confidence[index] = confidence;
    }

    public void RemoveAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Length);
        for (int i = index; i < Length - 1; i++)
        {
            _chars[i] = _chars[i + 1];
            _confidence[i] = _confidence[i + 1];
        }
        Length--;
    }

    /// <summary>The mean of the character confidences, 0 for an empty read.</summary>
    public readonly float MeanConfidence
    {
        get
        {
            if (Length == 0) return 0;
            float sum = 0;
            for (int i = 0; i < Length; i++) sum += _confidence[i];
            return sum / Length;
        }
    }

    /// <summary>How sure a single read is: its mean character confidence, halved when it fits no plate format.</summary>
    public readonly float WeighedConfidence => MeanConfidence * (MatchesGrammar ? 1f : 0.5f);

    public readonly bool TextEquals(in PlateText other) => Chars.SequenceEqual(other.Chars);

    /// <summary>Allocates; for diagnostics and for emitted passes only, never in the frame loop.</summary>
    public override readonly string ToString() => new(Chars);

    [InlineArray(Capacity)]
    private struct CharArray
    {
        private char _element;
    }

    [InlineArray(Capacity)]
    private struct FloatArray
    {
        private float _element;
    }
}

/// <summary>A two-letter country code stored inline (no string per read).</summary>
public readonly record struct CountryCode(char First, char Second)
{
    public static readonly CountryCode Unknown = new('?', '?');
    public static readonly CountryCode GreatBritain = new('G', 'B');
    public static readonly CountryCode UnitedStates = new('U', 'S');

    public bool IsKnown => this != Unknown;

    public static CountryCode Parse(ReadOnlySpan<char> code) =>
        code.Length == 2 && char.IsAsciiLetter(code[0]) && char.IsAsciiLetter(code[1])
            ? new CountryCode(char.ToUpperInvariant(code[0]), char.ToUpperInvariant(code[1]))
            : Unknown;

    public override string ToString() => string.Create(2, this, static (span, c) => { span[0] = c.First; span[1] = c.Second; });
}
