#include "util/JsonLocator.h"

#include "util/JsonFile.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace rpcbench {

namespace {

// A forward-only walk over JSON text that is known to be well-formed (it parsed before the
// content was checked); on anything unexpected it gives up (returns false) rather than guess.
class Walker
{
public:
    explicit Walker(const QByteArray& text) : m_text(text) {}

    qsizetype pos() const { return m_pos; }

    void skipSpace()
    {
        while (m_pos < m_text.size() && std::isspace(static_cast<unsigned char>(m_text.at(m_pos))))
            ++m_pos;
    }
    char peek()
    {
        skipSpace();
        return m_pos < m_text.size() ? m_text.at(m_pos) : '\0';
    }
    bool consume(char c)
    {
        if (peek() != c)
            return false;
        ++m_pos;
        return true;
    }

    // A string token, decoded (escapes included) into *out when given.
    bool string(QString* out)
    {
        if (peek() != '"')
            return false;
        const qsizetype start = m_pos++;
        while (m_pos < m_text.size() && m_text.at(m_pos) != '"')
            m_pos += m_text.at(m_pos) == '\\' ? 2 : 1;
        if (m_pos >= m_text.size())
            return false;
        ++m_pos;
        if (out) {
            const QByteArray quoted = m_text.mid(start, m_pos - start);
            *out = quoted.contains('\\')
                       ? QJsonDocument::fromJson('[' + quoted + ']').array().at(0).toString()
                       : QString::fromUtf8(quoted.mid(1, quoted.size() - 2));
        }
        return true;
    }

    bool skipValue()
    {
        const char c = peek();
        if (c == '"')
            return string(nullptr);
        if (c == '{' || c == '[') {
            const char close = c == '{' ? '}' : ']';
            ++m_pos;
            if (consume(close))
                return true;
            do {
                if (c == '{' && !(string(nullptr) && consume(':')))
                    return false;
                if (!skipValue())
                    return false;
            } while (consume(','));
            return consume(close);
        }
        // A number, true, false or null.
        const qsizetype start = m_pos;
        while (m_pos < m_text.size() && !std::strchr(",]} \t\r\n", m_text.at(m_pos)))
            ++m_pos;
        return m_pos > start;
    }

    // Moves to the value of `key` in the object at the current position; *keyAt is where its
    // key starts (the line a person looks at).
    bool member(const QString& key, qsizetype* keyAt)
    {
        if (!consume('{'))
            return false;
        if (peek() == '}')
            return false;
        do {
            skipSpace();
            const qsizetype at = m_pos;
            QString name;
            if (!string(&name) || !consume(':'))
                return false;
            if (name == key) {
                *keyAt = at;
                skipSpace();
                return true;
            }
            if (!skipValue())
                return false;
        } while (consume(','));
        return false;
    }

    // Moves to element `index` of the array at the current position.
    bool element(qsizetype index, qsizetype* at)
    {
        if (!consume('[') || peek() == ']')
            return false;
        for (qsizetype i = 0; i < index; ++i) {
            if (!skipValue() || !consume(','))
                return false;
        }
        skipSpace();
        *at = m_pos;
        return true;
    }

private:
    const QByteArray& m_text;
    qsizetype m_pos = 0;
};

} // namespace

QStringList JsonLocator::pathInMessage(const QString& message)
{
    // One member: a key (bare or quoted) with its indexes, then an optional element label.
    static const QRegularExpression segment(
        QStringLiteral(R"re(\G(?:'([^']*)'|([A-Za-z_$][\w$-]*))((?:\[\d+\])*)(?: '[^']*')?)re"));
    static const QRegularExpression index(QStringLiteral(R"re(\[(\d+)\])re"));
    static const QRegularExpression unknownKey(QStringLiteral(R"re(\Gunknown (?:key|member) '([^']*)')re"));
    QStringList path;
    qsizetype pos = 0;
    while (pos < message.size()) {
        const auto unknown = unknownKey.match(message, pos);
        if (unknown.hasMatch()) {
            path << unknown.captured(1);
            break;
        }
        const auto m = segment.match(message, pos);
        if (!m.hasMatch())
            break;
        path << (m.capturedLength(1) || m.captured(0).startsWith(QLatin1Char('\'')) ? m.captured(1)
                                                                                    : m.captured(2));
        for (auto it = index.globalMatch(m.captured(3)); it.hasNext();)
            path << it.next().captured(1);
        pos = m.capturedEnd();
        if (message.mid(pos, 1) == QLatin1String("."))
            pos += 1;
        else if (message.mid(pos, 2) == QLatin1String(": "))
            pos += 2;
        else
            break;
    }
    return path;
}

int JsonLocator::lineOf(const QByteArray& json, const QStringList& path)
{
    Walker walker(json);
    qsizetype found = -1;
    for (const QString& token : path) {
        qsizetype at = -1;
        const char c = walker.peek();
        bool isIndex = false;
        const qsizetype i = token.toLongLong(&isIndex);
        if (c == '{' ? !walker.member(token, &at) : c == '[' ? !(isIndex && walker.element(i, &at)) : true)
            break;
        found = at;
    }
    if (found < 0)
        return 0;
    int line = 0;
    int column = 0;
    JsonFile::position(json, found, &line, &column);
    return line;
}

QString JsonLocator::withLine(const QByteArray& json, const QString& message)
{
    const int line = lineOf(json, pathInMessage(message));
    return line > 0 ? QStringLiteral("line %1: %2").arg(line).arg(message) : message;
}

} // namespace rpcbench
