#include "widgets/ElidedLabel.h"

#include <QResizeEvent>

namespace rpcbench {

namespace {
constexpr int kSlack = 2; // QLabel's own indent around plain text
} // namespace

ElidedLabel::ElidedLabel(QWidget* parent) : QLabel(parent)
{
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    setTextFormat(Qt::PlainText);
}

void ElidedLabel::setFullText(const QString& text)
{
    m_fullText = text;
    updateGeometry();
    updateShownText();
}

void ElidedLabel::setExtraToolTip(const QString& tip)
{
    m_extraTip = tip;
    updateShownText();
}

QSize ElidedLabel::minimumSizeHint() const
{
    // Room for a few characters and the ellipsis; the rest is elided.
    const QMargins m = contentsMargins();
    return QSize(fontMetrics().horizontalAdvance(QStringLiteral("Mm…")) + m.left() + m.right(),
                 QLabel::minimumSizeHint().height());
}

QSize ElidedLabel::sizeHint() const
{
    // horizontalAdvance() rounds while elidedText() measures sub-pixel widths: one pixel
    // more than the rounded advance keeps a label at its size hint from eliding its own text.
    const QMargins m = contentsMargins();
    return QSize(fontMetrics().horizontalAdvance(m_fullText) + m.left() + m.right() + kSlack + 1,
                 QLabel::sizeHint().height());
}

void ElidedLabel::resizeEvent(QResizeEvent* event)
{
    QLabel::resizeEvent(event);
    updateShownText();
}

void ElidedLabel::updateShownText()
{
    const QMargins m = contentsMargins();
    const int available = qMax(0, width() - m.left() - m.right() - kSlack);
    const QString shown = fontMetrics().elidedText(m_fullText, Qt::ElideRight, available);
    if (shown != text())
        setText(shown);
    QStringList tip;
    if (shown != m_fullText)
        tip << m_fullText;
    if (!m_extraTip.isEmpty() && m_extraTip != m_fullText)
        tip << m_extraTip;
    setToolTip(tip.join(QLatin1Char('\n')));
}

} // namespace rpcbench
