#pragma once
// The outcome of the last call: a status line (result / error code and message / timeout /
// transport error), latency and size, the result as coloured pretty JSON and the raw reply.
// While a call runs, the server's progress for it shows as a bar. Large replies are truncated for display
// with "Show all" (see PayloadView).

#include "client/CallTypes.h"
#include "widgets/StatusIcons.h"

#include <QWidget>

class QLabel;
class QProgressBar;
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
    // Progress the server reported for the call in flight: a bar (determinate when the total
    // is known, busy otherwise) and its message, until the call ends.
    void showProgress(const CallProgress& progress);
    QProgressBar* progressBar() const { return m_progress; }
    QString progressText() const;

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
    void hideProgress();

    QLabel* m_statusIcon;
    QLabel* m_status;
    QLabel* m_meta;
    QPushButton* m_cancel;
    QProgressBar* m_progress;
    QLabel* m_progressText;
    QTabWidget* m_tabs;
    PayloadView* m_result;
    PayloadView* m_reply;
    PayloadView* m_request;
};

} // namespace rpcbench
