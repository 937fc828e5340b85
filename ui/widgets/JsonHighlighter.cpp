#include "widgets/JsonHighlighter.h"

#include <QRegularExpression>

namespace rpcbench {

namespace {
// Highlighting a single enormous line (compact JSON shown in full) costs more than it helps.
constexpr int MaxHighlightedLine = 64 * 1024;
} // namespace

JsonHighlighter::JsonHighlighter(QTextDocument* document, bool darkBackground) : QSyntaxHighlighter(document)
{
    setDarkBackground(darkBackground);
}

void JsonHighlighter::setDarkBackground(bool dark)
{
    m_key.setForeground(dark ? QColor(0x8c, 0xb4, 0xff) : QColor(0x1a, 0x5f, 0xb4));
    m_string.setForeground(dark ? QColor(0x8f, 0xd1, 0x8a) : QColor(0x26, 0x7a, 0x1a));
    m_number.setForeground(dark ? QColor(0xf0, 0xa3, 0x5e) : QColor(0xa8, 0x50, 0x00));
    m_literal.setForeground(dark ? QColor(0xd9, 0x9c, 0xf0) : QColor(0x8e, 0x24, 0xaa));
    m_literal.setFontWeight(QFont::DemiBold);
    rehighlight();
}

void JsonHighlighter::highlightBlock(const QString& text)
{
    if (text.size() > MaxHighlightedLine)
        return;
    static const QRegularExpression stringRe(QStringLiteral(R"("(?:[^"\\]|\\.)*"?)"));
    static const QRegularExpression tokenRe(
        QStringLiteral(R"(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\b(?:true|false|null)\b)"));
    // Strings first; numbers and literals only outside them.
    QList<std::pair<int, int>> strings;
    for (auto it = stringRe.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        int after = int(m.capturedEnd());
        while (after < text.size() && text.at(after).isSpace())
            ++after;
        const bool isKey = after < text.size() && text.at(after) == QLatin1Char(':');
        setFormat(int(m.capturedStart()), int(m.capturedLength()), isKey ? m_key : m_string);
        strings.append({int(m.capturedStart()), int(m.capturedEnd())});
    }
    for (auto it = tokenRe.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        const int start = int(m.capturedStart());
        const bool inString = std::any_of(strings.cbegin(), strings.cend(), [start](const auto& s) {
            return start >= s.first && start < s.second;
        });
        if (inString)
            continue;
        const QChar first = text.at(start);
        setFormat(start, int(m.capturedLength()), first.isLetter() ? m_literal : m_number);
    }
}

} // namespace rpcbench
