#include "widgets/PayloadView.h"

#include "util/JsonText.h"
#include "widgets/JsonHighlighter.h"

#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace rpcbench {

namespace {
// Beyond this the syntax colouring (done synchronously over the document) is skipped.
constexpr qsizetype MaxHighlightedText = 1024 * 1024;

bool isDark(const QPalette& palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}
} // namespace

PayloadView::PayloadView(Mode mode, QWidget* parent)
    : QWidget(parent), m_mode(mode), m_limit(JsonText::DefaultDisplayLimit), m_edit(new QPlainTextEdit(this)),
      m_note(new QLabel(this)), m_showAllButton(new QPushButton(tr("Show all"), this))
{
    m_edit->setReadOnly(true);
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    // No wrapping: laying out one wrapped multi-megabyte line (compact JSON) takes seconds.
    m_edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_edit->setUndoRedoEnabled(false);
    if (mode == Mode::Pretty)
        m_highlighter = new JsonHighlighter(m_edit->document(), isDark(palette()));
    m_showAllButton->setObjectName(QStringLiteral("showAllButton"));
    m_showAllButton->setToolTip(tr("Render the whole payload (may take a moment for very large ones)"));
    connect(m_showAllButton, &QPushButton::clicked, this, &PayloadView::showAll);

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_note, 1);
    bar->addWidget(m_showAllButton);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_edit, 1);
    layout->addLayout(bar);
    m_note->hide();
    m_showAllButton->hide();
}

void PayloadView::setPayload(const QByteArray& bytes)
{
    m_bytes = bytes;
    m_showAll = false;
    m_dirty = true;
    if (isVisible())
        render();
}

void PayloadView::setMessage(const QString& text)
{
    m_bytes.clear();
    m_dirty = false;
    m_truncated = false;
    m_edit->setPlainText(text);
    m_note->hide();
    m_showAllButton->hide();
}

void PayloadView::clear()
{
    setMessage(QString());
}

QString PayloadView::text()
{
    if (m_dirty)
        render();
    return m_edit->toPlainText();
}

bool PayloadView::isTruncated()
{
    if (m_dirty)
        render();
    return m_truncated;
}

void PayloadView::showAll()
{
    m_showAll = true;
    m_dirty = true;
    render();
}

void PayloadView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_dirty)
        render();
}

void PayloadView::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_highlighter)
        m_highlighter->setDarkBackground(isDark(palette()));
}

void PayloadView::render()
{
    m_dirty = false;
    const qsizetype limit = m_showAll ? -1 : m_limit;
    QString text;
    switch (m_mode) {
    case Mode::Pretty:
        text = JsonText::pretty(m_bytes, limit, &m_truncated);
        break;
    case Mode::Raw:
        text = JsonText::rawText(m_bytes, limit, &m_truncated);
        break;
    case Mode::Hex:
        text = JsonText::hexDump(m_bytes, limit, &m_truncated);
        break;
    }
    if (m_highlighter)
        m_highlighter->setDocument(text.size() <= MaxHighlightedText ? m_edit->document() : nullptr);
    m_edit->setPlainText(text);
    m_note->setText(JsonText::truncationNote(m_limit, m_bytes.size()));
    m_note->setVisible(m_truncated);
    m_showAllButton->setVisible(m_truncated);
}

} // namespace rpcbench
