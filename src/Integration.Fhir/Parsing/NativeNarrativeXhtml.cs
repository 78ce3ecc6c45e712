using System.Xml;
using System.Xml.Schema;

namespace Integration.Fhir.Parsing;

/// <summary>
/// Proves in C#, in one pass over the text, that a narrative is valid FHIR XHTML, for the XHTML narratives are made of:
/// the elements and attributes of generated narratives (MedCom's examples: <c>div</c>, <c>p</c>, <c>a</c>, <c>b</c>,
/// <c>span</c>, tables, lists, headings), the five XML entities and character references. It answers "valid" or "not
/// proven", never "invalid": anything outside that subset (comments, CDATA, HTML entities, namespace prefixes, images,
/// most attributes, characters outside the Basic Multilingual Plane) and anything it finds not valid is left to the
/// schema (<see cref="NarrativeXhtml"/>), which decides. ADR 0015.
/// </summary>
/// <remarks>Its rules are the schema's (fhir-xhtml.xsd, XHTML 1.0 Strict without scripts, forms and objects) for the
/// elements it knows: block and inline content, <c>a</c> without nested <c>a</c>, element-only lists and tables, empty
/// <c>br</c> and <c>hr</c>, typed attributes (<c>xs:ID</c> unique, <c>NMTOKEN(S)</c>, <c>anyURI</c> by the schema's own
/// datatype, numbers). It is held to the schema and to Firely by <c>NativeNarrativeXhtmlTests</c>.</remarks>
internal static class NativeNarrativeXhtml
{
    private const string XhtmlNamespace = "http://www.w3.org/1999/xhtml";
    private const int MaxDepth = 64;
    private const int MaxIds = 32;
    private const int MaxAttributesPerElement = 8;

    private static readonly XmlSchemaDatatype AnyUri = XmlSchemaType.GetBuiltInSimpleType(XmlTypeCode.AnyUri)!.Datatype!;

    public static bool ProvesValid(string xhtml)
    {
        ArgumentNullException.ThrowIfNull(xhtml);
        Span<byte> elements = stackalloc byte[MaxDepth];
        Span<byte> states = stackalloc byte[MaxDepth];
        Span<Range> ids = stackalloc Range[MaxIds];
        var scan = new Scan(xhtml, elements, states, ids);
        return scan.Document();
    }

    private enum Element : byte
    {
        Unknown,
        Div, P, H1, H2, H3, H4, H5, H6, Address, Ul, Ol, Li, Hr, Blockquote,
        A, Span, Br, Em, Strong, Dfn, Code, Samp, Kbd, Var, Cite, Abbr, Acronym, Sub, Sup, Tt, I, B, Big, Small,
        Table, Thead, Tfoot, Tbody, Tr, Th, Td,
    }

    /// <summary>The content an element allows (the schema's complex types).</summary>
    private enum Content : byte
    {
        Flow,       // block and inline elements, text (div, li, th, td)
        Inline,     // inline elements, text (p, headings, span, b, …)
        AContent,   // inline elements but a, text
        Empty,      // nothing at all (br, hr)
        ListItems,  // li+, whitespace (ul, ol)
        Block,      // block elements, whitespace (blockquote)
        Rows,       // tr+, whitespace (thead, tfoot, tbody)
        Cells,      // (th | td)+, whitespace (tr)
        Table,      // thead? tfoot? (tbody+ | tr+), whitespace (caption, col and colgroup are not proven here)
    }

    private static Element Name(ReadOnlySpan<char> name) => name switch
    {
        "div" => Element.Div, "p" => Element.P, "h1" => Element.H1, "h2" => Element.H2, "h3" => Element.H3,
        "h4" => Element.H4, "h5" => Element.H5, "h6" => Element.H6, "address" => Element.Address, "ul" => Element.Ul,
        "ol" => Element.Ol, "li" => Element.Li, "hr" => Element.Hr, "blockquote" => Element.Blockquote,
        "a" => Element.A, "span" => Element.Span, "br" => Element.Br, "em" => Element.Em, "strong" => Element.Strong,
        "dfn" => Element.Dfn, "code" => Element.Code, "samp" => Element.Samp, "kbd" => Element.Kbd, "var" => Element.Var,
        "cite" => Element.Cite, "abbr" => Element.Abbr, "acronym" => Element.Acronym, "sub" => Element.Sub,
        "sup" => Element.Sup, "tt" => Element.Tt, "i" => Element.I, "b" => Element.B, "big" => Element.Big,
        "small" => Element.Small, "table" => Element.Table, "thead" => Element.Thead, "tfoot" => Element.Tfoot,
        "tbody" => Element.Tbody, "tr" => Element.Tr, "th" => Element.Th, "td" => Element.Td,
        _ => Element.Unknown,
    };

    private static Content ContentOf(Element element) => element switch
    {
        Element.Div or Element.Li or Element.Th or Element.Td => Content.Flow,
        Element.A => Content.AContent,
        Element.Br or Element.Hr => Content.Empty,
        Element.Ul or Element.Ol => Content.ListItems,
        Element.Blockquote => Content.Block,
        Element.Thead or Element.Tfoot or Element.Tbody => Content.Rows,
        Element.Tr => Content.Cells,
        Element.Table => Content.Table,
        _ => Content.Inline,
    };

    // The schema's "block" and "inline" groups, as far as this subset has them.
    private static bool IsBlock(Element e) => e is Element.Div or Element.P or Element.H1 or Element.H2 or Element.H3
        or Element.H4 or Element.H5 or Element.H6 or Element.Address or Element.Ul or Element.Ol or Element.Hr
        or Element.Blockquote or Element.Table;

    private static bool IsInline(Element e) => e is >= Element.A and <= Element.Small;

    private static bool AllowsText(Content content) => content is Content.Flow or Content.Inline or Content.AContent;

    private ref struct Scan(string text, Span<byte> elements, Span<byte> states, Span<Range> ids)
    {
        private readonly string _text = text;
        private readonly Span<byte> _elements = elements;
        private readonly Span<byte> _states = states; // per open element: what its content has had (lists, rows, tables)
        private readonly Span<Range> _ids = ids;
        private int _at;
        private int _depth;
        private int _idCount;
        private bool _hasContent;

        public bool Document()
        {
            // The root: a div in XHTML's namespace, at the very start (no prolog: that is the schema's to judge).
            if (!StartTag(root: true))
            {
                return false;
            }

            while (_depth > 0)
            {
                if (_at >= _text.Length)
                {
                    return false; // unclosed elements
                }

                var ok = _text[_at] != '<' ? Text()
                    : _at + 1 < _text.Length && _text[_at + 1] == '/' ? EndTag()
                    : StartTag(root: false);
                if (!ok)
                {
                    return false;
                }
            }

            for (; _at < _text.Length; _at++)
            {
                if (!IsXmlSpace(_text[_at]))
                {
                    return false;
                }
            }

            return _hasContent; // FHIR: some non-whitespace text (an image would do too, but is not proven here)
        }

        private bool StartTag(bool root)
        {
            if (_at >= _text.Length || _text[_at] != '<')
            {
                return false;
            }

            _at++;
            var element = Name(ReadName());
            if (element == Element.Unknown || (root && element != Element.Div) || !Admit(element))
            {
                return false; // unknown, a comment, CDATA, a prefix, or not allowed here
            }

            Span<Range> seen = stackalloc Range[MaxAttributesPerElement];
            var count = 0;
            var hasNamespace = false;
            while (true)
            {
                var spaced = SkipSpace();
                if (_at >= _text.Length)
                {
                    return false;
                }

                if (_text[_at] == '>')
                {
                    _at++;
                    break;
                }

                if (_text[_at] == '/')
                {
                    if (_at + 1 >= _text.Length || _text[_at + 1] != '>')
                    {
                        return false;
                    }

                    _at += 2;
                    if (root && !hasNamespace)
                    {
                        return false;
                    }

                    return Open(element) && Close(element); // an empty-element tag
                }

                if (!spaced || count == MaxAttributesPerElement)
                {
                    return false;
                }

                var nameStart = _at;
                var name = ReadName();
                if (name.IsEmpty)
                {
                    return false;
                }

                var nameRange = new Range(nameStart, _at);
                foreach (var other in seen[..count])
                {
                    if (_text.AsSpan()[other].SequenceEqual(name))
                    {
                        return false; // the same attribute twice: not well-formed
                    }
                }

                seen[count++] = nameRange;
                SkipSpace();
                if (_at >= _text.Length || _text[_at] != '=')
                {
                    return false;
                }

                _at++;
                SkipSpace();
                if (AttributeValue() is not { } value)
                {
                    return false;
                }

                if (name is "xmlns")
                {
                    // Only the root declares the namespace; a redeclaration further in is left to the schema.
                    if (!root || !_text.AsSpan()[value].SequenceEqual(XhtmlNamespace))
                    {
                        return false;
                    }

                    hasNamespace = true;
                }
                else if (!Attribute(element, name, value))
                {
                    return false;
                }
            }

            if (root && !hasNamespace)
            {
                return false;
            }

            return Open(element);
        }

        /// <summary>Whether the open element's content allows <paramref name="child"/> next (and notes it).</summary>
        private readonly bool Admit(Element child)
        {
            if (_depth == 0)
            {
                return true;
            }

            var parent = (Element)_elements[_depth - 1];
            ref var state = ref _states[_depth - 1];
            switch (ContentOf(parent))
            {
                case Content.Flow:
                    return IsBlock(child) || IsInline(child);
                case Content.Inline:
                    return IsInline(child);
                case Content.AContent:
                    return IsInline(child) && child != Element.A;
                case Content.Block:
                    return IsBlock(child);
                case Content.ListItems when child == Element.Li:
                case Content.Rows when child == Element.Tr:
                case Content.Cells when child is Element.Th or Element.Td:
                    state = 1;
                    return true;
                case Content.Table:
                    // thead? tfoot? (tbody+ | tr+): states 0 start, 1 after thead, 2 after tfoot, 3 tbody run, 4 tr run.
                    var next = child switch
                    {
                        Element.Thead when state == 0 => 1,
                        Element.Tfoot when state <= 1 => 2,
                        Element.Tbody when state is <= 2 or 3 => 3,
                        Element.Tr when state is <= 2 or 4 => 4,
                        _ => -1,
                    };
                    if (next < 0)
                    {
                        return false;
                    }

                    state = (byte)next;
                    return true;
                default:
                    return false;
            }
        }

        private bool Open(Element element)
        {
            if (_depth == MaxDepth)
            {
                return false;
            }

            _elements[_depth] = (byte)element;
            _states[_depth] = 0;
            _depth++;
            return true;
        }

        private bool Close(Element element)
        {
            if (_depth == 0 || (Element)_elements[_depth - 1] != element)
            {
                return false;
            }

            var state = _states[_depth - 1];
            _depth--;
            return ContentOf(element) switch
            {
                Content.ListItems or Content.Rows or Content.Cells => state == 1, // at least one item
                Content.Table => state >= 3, // at least one tbody or tr
                _ => true,
            };
        }

        private bool EndTag()
        {
            _at += 2;
            var element = Name(ReadName());
            SkipSpace();
            if (_at >= _text.Length || _text[_at] != '>' || element == Element.Unknown)
            {
                return false;
            }

            _at++;
            return Close(element);
        }

        private bool Text()
        {
            var content = ContentOf((Element)_elements[_depth - 1]);
            if (content == Content.Empty)
            {
                return false; // not even whitespace is proven inside br or hr
            }

            var mixed = AllowsText(content);
            for (; _at < _text.Length && _text[_at] != '<'; _at++)
            {
                var c = _text[_at];
                if (c == '&')
                {
                    if (!mixed || Reference() is not { } referenced)
                    {
                        return false;
                    }

                    _hasContent |= !char.IsWhiteSpace(referenced);
                    _at--; // Reference left _at past the ';'
                    continue;
                }

                if (!IsPlainChar(c) || (c == '>' && _at >= 2 && _text[_at - 1] == ']' && _text[_at - 2] == ']'))
                {
                    return false; // not an XML character, or "]]>" outside CDATA: not well-formed
                }

                if (!IsXmlSpace(c))
                {
                    if (!mixed)
                    {
                        return false; // text in element-only content
                    }

                    _hasContent |= !char.IsWhiteSpace(c);
                }
            }

            return true;
        }

        /// <summary>Reads the quoted value; its range inside the quotes, or null when it is not proven well-formed.</summary>
        private Range? AttributeValue()
        {
            if (_at >= _text.Length || _text[_at] is not ('"' or '\'') )
            {
                return null;
            }

            var quote = _text[_at++];
            var start = _at;
            for (; _at < _text.Length && _text[_at] != quote; _at++)
            {
                var c = _text[_at];
                if (c == '&')
                {
                    if (Reference() is null)
                    {
                        return null;
                    }

                    _at--;
                    continue;
                }

                if (c == '<' || !IsPlainChar(c))
                {
                    return null;
                }
            }

            if (_at >= _text.Length)
            {
                return null;
            }

            return new Range(start, _at++);
        }

        /// <summary>One of XML's five entities or a character reference at _at ('&amp;'); the character it stands for,
        /// with _at past the ';'. Null for anything else (HTML entities are the schema path's: Firely replaces them).</summary>
        private char? Reference()
        {
            var end = _text.IndexOf(';', _at + 1, Math.Min(12, _text.Length - _at - 1));
            if (end < 0)
            {
                return null;
            }

            var name = _text.AsSpan(_at + 1, end - _at - 1);
            char? referenced = name switch
            {
                "lt" => '<', "gt" => '>', "amp" => '&', "quot" => '"', "apos" => '\'',
                _ when name.Length > 1 && name[0] == '#' => CharacterReference(name[1..]),
                _ => null,
            };
            _at = end + 1;
            return referenced;
        }

        private static char? CharacterReference(ReadOnlySpan<char> digits)
        {
            var hex = digits[0] == 'x';
            if (hex)
            {
                digits = digits[1..];
            }

            if (digits.IsEmpty || digits.Length > 6)
            {
                return null;
            }

            var value = 0;
            foreach (var d in digits)
            {
                var digit = d is >= '0' and <= '9' ? d - '0'
                    : hex && d is >= 'a' and <= 'f' ? d - 'a' + 10
                    : hex && d is >= 'A' and <= 'F' ? d - 'A' + 10
                    : -1;
                if (digit < 0)
                {
                    return null;
                }

                value = (value * (hex ? 16 : 10)) + digit;
            }

            return value <= char.MaxValue && IsPlainChar((char)value) ? (char)value : null;
        }

        /// <summary>Whether the attribute is one this subset allows on the element, with a value its type takes.</summary>
        private bool Attribute(Element element, ReadOnlySpan<char> name, Range valueRange)
        {
            var value = _text.AsSpan()[valueRange];
            var typed = !(name is "style" or "title" || (name is "abbr" && element is Element.Th or Element.Td)
                || (name is "summary" && element == Element.Table));
            if (typed && value.Contains('&'))
            {
                return false; // a typed value with a reference in it: left to the schema
            }

            return name switch
            {
                "style" or "title" => true, // xs:string
                "id" => IsNcName(value) && UniqueId(valueRange),
                "class" => IsNmTokens(value),
                "dir" => element != Element.Br && value is "ltr" or "rtl",
                "name" => element == Element.A && IsNmToken(value),
                "href" => element == Element.A && IsAnyUri(value),
                "colspan" or "rowspan" => element is Element.Th or Element.Td && IsNumber(value),
                "abbr" => element is Element.Th or Element.Td,
                "border" => element == Element.Table && IsNumber(value),
                "summary" => element == Element.Table,
                _ => false, // lang, xml:lang, event attributes, …: the schema decides
            };
        }

        private bool UniqueId(Range value)
        {
            if (_idCount == _ids.Length)
            {
                return false;
            }

            foreach (var other in _ids[.._idCount])
            {
                if (_text.AsSpan()[other].SequenceEqual(_text.AsSpan()[value]))
                {
                    return false; // an xs:ID used twice
                }
            }

            _ids[_idCount++] = value;
            return true;
        }

        private ReadOnlySpan<char> ReadName()
        {
            var start = _at;
            while (_at < _text.Length && (char.IsAsciiLetterOrDigit(_text[_at]) && (_at > start || char.IsAsciiLetter(_text[_at]))))
            {
                _at++;
            }

            return _text.AsSpan(start, _at - start);
        }

        private bool SkipSpace()
        {
            var start = _at;
            while (_at < _text.Length && IsXmlSpace(_text[_at]))
            {
                _at++;
            }

            return _at > start;
        }
    }

    private static bool IsXmlSpace(char c) => c is ' ' or '\t' or '\n' or '\r';

    /// <summary>An XML character this check takes as is: no controls, no surrogates (left to the schema), no U+FFFE/F.</summary>
    private static bool IsPlainChar(char c) =>
        c >= 0x20 ? c < 0xD800 || (c >= 0xE000 && c <= 0xFFFD) : c is '\t' or '\n' or '\r';

    // Names in ASCII only: any other name character is left to the schema.
    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_';

    private static bool IsNcName(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || !(char.IsAsciiLetter(value[0]) || value[0] == '_'))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!IsNameChar(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsNmToken(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!IsNameChar(c) && c != ':')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>xs:NMTOKENS: one or more tokens, separated by single spaces (other whitespace is left to the schema).</summary>
    private static bool IsNmTokens(ReadOnlySpan<char> value)
    {
        foreach (var token in value.Split(' '))
        {
            if (!IsNmToken(value[token]))
            {
                return false; // also an empty value, or leading, trailing or double spaces
            }
        }

        return true;
    }

    /// <summary>The schema's Number: [0-9]+ (kept short, as a number, not a digit string).</summary>
    private static bool IsNumber(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || value.Length > 9)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>xs:anyURI by the schema's own datatype (what the validator runs), for values without whitespace.</summary>
    private static bool IsAnyUri(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (IsXmlSpace(c))
            {
                return false;
            }
        }

        if (value.IsEmpty)
        {
            return false;
        }

        try
        {
            AnyUri.ParseValue(value.ToString(), null, null);
            return true;
        }
        catch (XmlSchemaException)
        {
            return false;
        }
    }
}
