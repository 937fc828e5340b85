#include "ScreenshotTour.h"

#include "client/CallComposer.h"
#include "client/CallHistoryModel.h"
#include "client/ClientPanel.h"
#include "client/ParamForm.h"
#include "client/ResponseView.h"
#include "log/LogPanel.h"
#include "log/TrafficLogModel.h"
#include "server/ServerPanel.h"
#include "widgets/NumberSpinBox.h"
#include "window/MainWindow.h"
#include "window/StatusPanel.h"

#include <QComboBox>
#include <QJsonArray>
#include <QJsonObject>
#include <QPixmap>
#include <QSpinBox>
#include <QTableView>

namespace rpcbench {

namespace {
CallRequest makeCall(const QString& method, const QJsonValue& params = QJsonValue::Undefined,
                     bool notification = false)
{
    CallRequest r;
    r.method = method;
    r.params = params;
    r.notification = notification;
    return r;
}
} // namespace

ScreenshotTour::ScreenshotTour(MainWindow* window, const QString& path, QObject* parent)
    : QObject(parent), m_window(window), m_path(path)
{
    m_poll.setInterval(50);
    connect(&m_poll, &QTimer::timeout, this, [this] {
        if (m_condition && m_condition()) {
            m_poll.stop();
            m_deadline.stop();
            auto then = std::move(m_then);
            m_condition = nullptr;
            then();
        }
    });
    m_deadline.setSingleShot(true);
    m_deadline.setInterval(15'000);
    connect(&m_deadline, &QTimer::timeout, this,
            [this] { fail(QStringLiteral("timed out waiting for the window")); });
}

void ScreenshotTour::start()
{
    m_window->portSpin()->setValue(0); // any free port: never collides with a running server
    if (!m_window->startServer()) {
        fail(QStringLiteral("the embedded server did not start"));
        return;
    }
    makeCalls();
}

void ScreenshotTour::waitFor(std::function<bool()> condition, std::function<void()> then)
{
    m_condition = std::move(condition);
    m_then = std::move(then);
    m_poll.start();
    m_deadline.start();
}

void ScreenshotTour::makeCalls()
{
    ClientPanel* client = m_window->clientPanel();
    const QJsonObject greeting{{QStringLiteral("hello"), QStringLiteral("rpcbench")},
                               {QStringLiteral("tags"), QJsonArray{1, 2, 3}}};
    client->sendCall(makeCall(QStringLiteral("echo"), QJsonObject{{QStringLiteral("value"), greeting}}));
    client->sendCall(makeCall(QStringLiteral("subtract"), QJsonArray{42, 23}));
    client->sendCall(makeCall(QStringLiteral("fail"), QJsonArray{-32010, QStringLiteral("Out of coffee")}));
    client->sendBatch({makeCall(QStringLiteral("sum"), QJsonArray{1, 2, 3, 4}),
                       makeCall(QStringLiteral("get_data")),
                       makeCall(QStringLiteral("notify_hello"), QJsonArray{7}, true)});
    waitFor([client] { return client->history()->rowCount() >= 6; }, [this] { composeAdd(); });
}

// The last call goes through the form, as a user would make it.
void ScreenshotTour::composeAdd()
{
    CallComposer* composer = m_window->clientPanel()->composer();
    composer->selectMethod(QStringLiteral("add"));
    const QList<std::pair<const char*, const char*>> values{{"a", "1"}, {"b", "2"}, {"c", "3"}};
    for (const auto& [name, value] : values) {
        auto* spin = qobject_cast<NumberSpinBox*>(composer->form()->editor(QLatin1String(name)));
        if (!spin) {
            fail(QStringLiteral("the form has no editor for '%1'").arg(QLatin1String(name)));
            return;
        }
        spin->setText(QLatin1String(value));
    }
    if (!composer->send()) {
        fail(QStringLiteral("the add call was not valid: %1")
                 .arg(composer->errors().join(QStringLiteral("; "))));
        return;
    }
    ResponseView* response = m_window->clientPanel()->responseView();
    TrafficLogModel* log = m_window->logPanel()->model();
    waitFor([response,
             log] { return response->resultText().trimmed() == QLatin1String("6") && log->rowCount() >= 18; },
            [this] { arrange(); });
}

void ScreenshotTour::arrange()
{
    m_window->serverPanel()->selectMethod(QStringLiteral("add"));
    TrafficLogModel* log = m_window->logPanel()->model();
    for (int row = log->rowCount() - 1; row >= 0; --row) {
        const TrafficEvent& e = log->record(row).event;
        if (e.side == Side::Server && e.direction == Direction::In &&
            e.summary.method == QLatin1String("add")) {
            m_window->logPanel()->selectSourceRow(row);
            break;
        }
    }
    m_window->logPanel()->view()->scrollToBottom();
    // The status bar samples once a second: wait until it shows the client's connection.
    StatusPanel* status = m_window->statusPanel();
    waitFor([status] { return status->connectionsText().startsWith(QLatin1Char('1')); },
            [this] { QTimer::singleShot(200, this, &ScreenshotTour::capture); });
}

void ScreenshotTour::capture()
{
    const QPixmap shot = m_window->grab();
    if (shot.isNull() || !shot.save(m_path)) {
        fail(QStringLiteral("cannot write %1").arg(m_path));
        return;
    }
    emit done(
        true,
        QStringLiteral("screenshot written to %1 (%2x%3)").arg(m_path).arg(shot.width()).arg(shot.height()));
}

void ScreenshotTour::fail(const QString& why)
{
    m_poll.stop();
    m_deadline.stop();
    emit done(false, why);
}

} // namespace rpcbench
