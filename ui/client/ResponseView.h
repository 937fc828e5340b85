#pragma once
// The outcome of the last call: a status line (result / error code and message / timeout /
// transport error), latency and size, the result as coloured pretty JSON and the raw reply.
// Large replies are truncated for display with "Show all" (see PayloadView).

#include "client/CallTypes.h"
#include "widgets/StatusIcons.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTabWidget;

namespace rpcbench {

class PayloadView;

class ResponseView : public QWidget
{
    Q_OBJECT
public:
    explicit ResponseView(QWidget* parent = nullptr);

    void showPending(const QString& what); // "Calling add…"
    void showResult(const CallResult& result);
    void showBatch(const BatchResult& result);
    void showProblem(const QString& text); // e.g. an invalid URL
    // The reply of the call shown (which timed out) arrived after all, latencyUs after the send.
    void showLateReply(qint64 latencyUs);

    QString resultText(); // the rendered result view (tests)
    QString statusText() const;
    QString statusIconPath() const; // the icon beside the status (tests)
    PayloadView* resultView() const { return m_result; }

signals:
    void cancelRequested();

private:
    enum class Tone { Neutral, Good, Bad };
    void setStatus(const QString& text, Tone tone, StatusIcon icon = StatusIcon::None);
    void setMeta(qint64 latencyUs, qint64 size);

    QLabel* m_statusIcon;
    QLabel* m_status;
    QLabel* m_meta;
    QPushButton* m_cancel;
    QTabWidget* m_tabs;
    PayloadView* m_result;
    PayloadView* m_reply;
    PayloadView* m_request;
};

} // namespace rpcbench
