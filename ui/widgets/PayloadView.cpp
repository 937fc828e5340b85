#include "widgets/PayloadView.h"

#include "util/JsonText.h"
#include "widgets/JsonHighlighter.h"

#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextCursor>
#include <QVBoxLayout>

namespace rpcbench {

namespace {
// Beyond this the syntax colouring (done synchronously over the document) is skipped.
constexpr qsizetype MaxHighlightedText = 1024 * 1024;
// One slice of a large text put into the editor per event-loop turn (a few ms each).
constexpr qsizetype FeedSliceChars = 256 * 1024;

bool isDark(const QPalette& palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}
} // namespace

PayloadView::PayloadView(Mode mode, QWidget* parent)
    : QWidget(parent), m_mode(mode), m_limit(JsonText::DefaultDisplayLimit), m_edit(new QPlainTextEdit(this)),
      m_note(new QLabel(this)), m_showAllButton(new QPushButton(tr("Show all"), this)),
      m_formatter(new PayloadFormatter(this))
{
    m_edit->setReadOnly(true);
    // Read-only drops keyboard navigation: Ctrl+End, Page Down and arrows must still move.
    m_edit->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    // No wrapping: laying out one wrapped multi-megabyte line (compact JSON) takes seconds.
    m_edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_edit->setUndoRedoEnabled(false);
    if (mode == Mode::Pretty)
        m_highlighter = new JsonHighlighter(m_edit->document(), isDark(palette()));
    m_showAllButton->setObjectName(QStringLiteral("showAllButton"));
    m_showAllButton->setToolTip(tr("Render the whole payload (may take a moment for very large ones)"));
    connect(m_showAllButton, &QPushButton::clicked, this, &PayloadView::showAll);
    connect(m_formatter, &PayloadFormatter::ready, this,
            [this](const FormattedPayload& result) { apply(result, true); });
    m_feedTimer.setSingleShot(true);
    m_feedTimer.setInterval(0);
    connect(&m_feedTimer, &QTimer::timeout, this, &PayloadView::feedSlice);
    m_note->setObjectName(QStringLiteral("payloadNote"));
    m_note->setWordWrap(true);

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
    stopRendering();
    m_bytes = bytes;
    m_showAll = false;
    m_dirty = true;
    if (isVisible())
        render();
}

void PayloadView::setMessage(const QString& text)
{
    stopRendering();
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

PayloadFormatter::Mode PayloadView::formatterMode() const
{
    switch (m_mode) {
    case Mode::Pretty:
        return PayloadFormatter::Mode::Pretty;
    case Mode::Raw:
        return PayloadFormatter::Mode::Raw;
    case Mode::Hex:
        break;
    }
    return PayloadFormatter::Mode::Hex;
}

void PayloadView::stopRendering()
{
    m_formatter->cancel();
    m_feedTimer.stop();
    m_feedText.clear();
    m_feedPos = 0;
}

void PayloadView::render()
{
    stopRendering();
    m_dirty = false;
    const qsizetype limit = m_showAll ? -1 : m_limit;
    const qsizetype work = limit < 0 ? m_bytes.size() : qMin(limit, m_bytes.size());
    if (work <= SynchronousLimit) {
        apply(PayloadFormatter::format(m_bytes, formatterMode(), limit), false);
        return;
    }
    // Too big to format here without freezing the window: a pool thread does it.
    m_formatter->request(m_bytes, formatterMode(), limit);
    if (m_highlighter)
        m_highlighter->setDocument(nullptr);
    m_edit->setPlainText(tr("formatting %1…").arg(JsonText::formatBytes(m_bytes.size())));
    m_note->setText(tr("formatting…"));
    m_note->show();
    m_showAllButton->setEnabled(false);
}

void PayloadView::apply(const FormattedPayload& result, bool inSlices)
{
    m_truncated = result.truncated;
    m_linesBroken = result.linesBroken;
    if (m_highlighter)
        m_highlighter->setDocument(result.text.size() <= MaxHighlightedText ? m_edit->document() : nullptr);
    // A text formatted here (a small payload) goes in at once; a large one from the pool in slices.
    if (!inSlices || result.text.size() <= FeedSliceChars) {
        m_edit->setPlainText(result.text);
        finishRender();
        return;
    }
    m_edit->clear();
    m_feedText = result.text;
    m_feedPos = 0;
    feedSlice();
}

void PayloadView::feedSlice()
{
    qsizetype end = qMin(m_feedPos + FeedSliceChars, m_feedText.size());
    if (end < m_feedText.size()) { // end a slice at a line break (lines are short: see MaxLineChars)
        const qsizetype newline = m_feedText.indexOf(QLatin1Char('\n'), end);
        end = newline < 0 ? m_feedText.size() : newline + 1;
    }
    QTextCursor cursor(m_edit->document());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(QStringView(m_feedText).mid(m_feedPos, end - m_feedPos).toString());
    m_feedPos = end;
    if (m_feedPos < m_feedText.size()) {
        m_note->setText(tr("formatting… %1%").arg(m_feedPos * 100 / m_feedText.size()));
        m_feedTimer.start();
        return;
    }
    m_feedText.clear();
    m_feedPos = 0;
    m_edit->moveCursor(QTextCursor::Start);
    finishRender();
}

void PayloadView::finishRender()
{
    QStringList notes;
    if (m_truncated)
        notes << JsonText::truncationNote(m_limit, m_bytes.size());
    if (m_linesBroken)
        notes << tr("Lines longer than %L1 characters are broken for display.")
                     .arg(PayloadFormatter::MaxLineChars);
    m_note->setText(notes.join(QLatin1Char(' ')));
    m_note->setVisible(!notes.isEmpty());
    m_showAllButton->setEnabled(true);
    m_showAllButton->setVisible(m_truncated);
    emit rendered();
}

} // namespace rpcbench
