#pragma once
// Shows one payload as pretty JSON (coloured), raw text or a hex dump. Rendering is lazy (only
// when the view is visible) and limited to the first 256 KiB, with a "Show all" button, so a
// multi-megabyte message never stalls the window by merely being selected. Beyond that size
// ("Show all" on a big reply) the text is formatted on a pool thread (PayloadFormatter) and
// put into the editor in slices, one per event-loop turn, with "formatting…" shown meanwhile.

#include "widgets/PayloadFormatter.h"

#include <QByteArray>
#include <QTimer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace rpcbench {

class JsonHighlighter;

class PayloadView : public QWidget
{
    Q_OBJECT
public:
    enum class Mode { Pretty, Raw, Hex };

    explicit PayloadView(Mode mode, QWidget* parent = nullptr);

    void setPayload(const QByteArray& bytes);
    // Shows text as-is (e.g. a status message) instead of a payload.
    void setMessage(const QString& text);
    void clear();
    QByteArray payload() const { return m_bytes; }
    QString text(); // what the view shows (renders first if still pending)
    bool isTruncated();
    // True from a large render's start until its whole text is in the editor (then rendered()).
    bool isFormatting() const { return m_formatter->isBusy() || m_feedTimer.isActive(); }
    // Payloads up to this many bytes are formatted at once on the GUI thread (fast enough).
    static constexpr qsizetype SynchronousLimit = 256 * 1024;
    void setDisplayLimit(qsizetype bytes) { m_limit = bytes; }
    QPlainTextEdit* editor() const { return m_edit; }

public slots:
    void showAll();

signals:
    void rendered(); // the editor holds the whole text of the current payload

protected:
    void showEvent(QShowEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void render();
    void apply(const FormattedPayload& result, bool inSlices);
    void feedSlice();
    void finishRender();
    void stopRendering();
    PayloadFormatter::Mode formatterMode() const;

    const Mode m_mode;
    QByteArray m_bytes;
    qsizetype m_limit;
    bool m_dirty = false;
    bool m_truncated = false;
    bool m_showAll = false;
    QPlainTextEdit* m_edit;
    QLabel* m_note;
    QPushButton* m_showAllButton;
    JsonHighlighter* m_highlighter = nullptr;
    PayloadFormatter* m_formatter;
    QTimer m_feedTimer; // puts a large text into the editor slice by slice
    QString m_feedText; // what is still being put in
    qsizetype m_feedPos = 0;
    bool m_linesBroken = false;
};

} // namespace rpcbench
