#pragma once
// Shows one payload as pretty JSON (coloured), raw text or a hex dump. Rendering is lazy (only
// when the view is visible) and limited to the first 256 KiB, with a "Show all" button, so a
// multi-megabyte message never stalls the window by merely being selected.

#include <QByteArray>
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
    void setDisplayLimit(qsizetype bytes) { m_limit = bytes; }
    QPlainTextEdit* editor() const { return m_edit; }

public slots:
    void showAll();

protected:
    void showEvent(QShowEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void render();

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
};

} // namespace rpcbench
