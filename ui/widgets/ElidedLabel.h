#pragma once
// A one-line label that elides its text to the width it is given instead of demanding it:
// its minimum width is small, the shown text ends in "…" when it does not fit, and the full
// text is then its tooltip. For status texts whose length is not known in advance (a
// connection error, a discovery outcome) in rows that must survive a narrow window.

#include <QLabel>

namespace rpcbench {

class ElidedLabel : public QLabel
{
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget* parent = nullptr);

    // The whole text; text() is what is shown (possibly elided).
    void setFullText(const QString& text);
    QString fullText() const { return m_fullText; }
    // A tooltip shown in any case (e.g. details); the full text is added when elided.
    void setExtraToolTip(const QString& tip);
    bool isElided() const { return text() != m_fullText; }

    QSize minimumSizeHint() const override;
    QSize sizeHint() const override;

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void updateShownText();

    QString m_fullText;
    QString m_extraTip;
};

} // namespace rpcbench
