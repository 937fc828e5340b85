#pragma once
// Colours JSON text: keys, strings, numbers and true/false/null. The colours come in a light
// and a dark set chosen from the document's palette, so they stay readable on both.

#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace rpcbench {

class JsonHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    explicit JsonHighlighter(QTextDocument* document, bool darkBackground = false);
    void setDarkBackground(bool dark);

protected:
    void highlightBlock(const QString& text) override;

private:
    QTextCharFormat m_key;
    QTextCharFormat m_string;
    QTextCharFormat m_number;
    QTextCharFormat m_literal;
};

} // namespace rpcbench
