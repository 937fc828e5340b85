#pragma once
// The decision on one message a proxy holds: the message as raw JSON, editable and checked as
// it is typed (the parser's one-line reason shows, and Forward stays disabled, while it does
// not parse); Forward sends the edited text (the original bytes when unchanged), Answer locally
// sends the reply below it back to the client (requests to the server only; prefilled with
// {"jsonrpc":"2.0","id":<its id>,"result":null}), Drop sends nothing. Ctrl+Enter
// forwards (in the local answer's field: answers).
// A message that ended is shown read-only with how it ended.
#include "proxy/InterceptQueue.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace rpcbench {

struct InterceptRow;

class InterceptEditor : public QWidget
{
    Q_OBJECT
public:
    explicit InterceptEditor(QWidget* parent = nullptr);

    // The message to decide on (nullptr: none selected). Re-showing the same waiting message
    // keeps the user's edits.
    void setRow(const InterceptRow* row);
    const InterceptQueue* queue() const { return m_queue; }
    quint64 heldId() const { return m_id; }

    // A refusal from the queue ("no longer waiting"), or empty to clear it.
    void showProblem(const QString& text);
    QString problem() const; // the refusal or parse error shown, empty when none

    QPlainTextEdit* messageEdit() const { return m_message; }
    QPlainTextEdit* replyEdit() const { return m_reply; }
    QPushButton* forwardButton() const { return m_forward; }
    QPushButton* answerButton() const { return m_answer; }
    QPushButton* dropButton() const { return m_drop; }
    QList<QWidget*> focusChain() const;

public slots:
    bool forward(); // false when nothing waits or the message does not parse
    bool answer();
    void drop();

signals:
    void decisionRequested(const rpcbench::InterceptDecision& decision);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void validate();
    QByteArray editedMessage() const;

    const InterceptQueue* m_queue = nullptr;
    quint64 m_id = 0;
    bool m_open = false;
    bool m_canAnswer = false;
    QByteArray m_original;
    QString m_shownText; // the original as first shown: unchanged text forwards the original bytes
    QLabel* m_title;
    QPlainTextEdit* m_message;
    QLabel* m_replyLabel;
    QPlainTextEdit* m_reply;
    QLabel* m_problem;
    QPushButton* m_drop; // the buttons in their Tab order, the usual action last
    QPushButton* m_answer;
    QPushButton* m_forward;
};

} // namespace rpcbench
