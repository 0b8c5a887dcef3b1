using System.Text;

namespace Amrs.Core.Tests.Import;

internal static class CsvText
{
    public static MemoryStream Utf8(string text) => new(new UTF8Encoding(false).GetBytes(text));

    public static MemoryStream Bytes(params byte[][] parts) => new(parts.SelectMany(p => p).ToArray());

    public static byte[] Ascii(string text) => Encoding.UTF8.GetBytes(text);

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Import", "Fixtures", name);
}
