#include "proxy/MonitorClient.h"

#include "traffic/TrafficEventCodec.h"
#include "util/Log.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalSocket>

namespace rpcbench {

namespace {

// Per-connection state the header has no member for, kept on the socket so that it starts
// fresh with every attach().
constexpr char WasConnected[] = "rpcbenchWasConnected";
constexpr char LinesRead[] = "rpcbenchLinesRead";
constexpr char ReportedBadLine[] = "rpcbenchReportedBadLine";

} // namespace

MonitorClient::MonitorClient(std::shared_ptr<TrafficBus> bus, QObject* parent)
    : QObject(parent), m_bus(std::move(bus))
{}

MonitorClient::~MonitorClient() = default;

void MonitorClient::attach(const QString& path)
{
    detach();
    const QString socketPath = path.startsWith(QLatin1String("unix:")) ? path.mid(5) : path;
    m_socket = new QLocalSocket(this);
    m_partial.clear();
    QLocalSocket* socket = m_socket;
    connect(socket, &QLocalSocket::connected, this, [this, socket, socketPath] {
        socket->setProperty(WasConnected, true);
        emit attached(socketPath);
    });
    connect(socket, &QLocalSocket::errorOccurred, this, [this, socket, socketPath] {
        // Errors after attaching end in disconnected(), reported as detached() there.
        if (!socket->property(WasConnected).toBool())
            emit failed(QStringLiteral("cannot attach to %1: %2").arg(socketPath, socket->errorString()));
    });
    connect(socket, &QLocalSocket::readyRead, this, &MonitorClient::onReadyRead);
    connect(socket, &QLocalSocket::disconnected, this, [this, socket] {
        if (socket != m_socket)
            return; // detach()ed on purpose
        m_socket = nullptr;
        socket->deleteLater();
        emit detached(QStringLiteral("proxy closed the monitor socket"));
    });
    socket->connectToServer(socketPath, QIODevice::ReadOnly);
}

void MonitorClient::detach()
{
    if (!m_socket)
        return;
    QLocalSocket* socket = m_socket;
    m_socket = nullptr; // first, so that its disconnected() is not reported as detached()
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
}

void MonitorClient::onReadyRead()
{
    if (!m_socket)
        return;
    m_partial += m_socket->readAll();
    const qsizetype lastNewline = m_partial.lastIndexOf('\n');
    if (lastNewline < 0)
        return;
    const QByteArray complete = m_partial.left(lastNewline);
    m_partial.remove(0, lastNewline + 1);
    QLocalSocket* socket = m_socket;
    quint64 lineNumber = socket->property(LinesRead).toULongLong();
    for (const QByteArray& line : complete.split('\n')) {
        ++lineNumber;
        if (line.trimmed().isEmpty())
            continue;
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &parseError);
        QString error;
        if (!doc.isObject()) {
            error = doc.isNull() ? parseError.errorString() : QStringLiteral("not a JSON object");
        } else if (const QJsonObject obj = doc.object(); obj.contains(QLatin1String("dropped"))) {
            qCWarning(lcTraffic) << "proxy monitor dropped" << obj.value(QLatin1String("dropped")).toInteger()
                                 << "events (this monitor read too slowly)";
            continue;
        } else if (auto event = trafficEventFromJson(obj, &error)) {
            m_bus->publish(std::move(*event));
            ++m_received;
            continue;
        }
        // One report per connection: a proxy of another version would otherwise flood it.
        if (!socket->property(ReportedBadLine).toBool()) {
            socket->setProperty(ReportedBadLine, true);
            emit failed(QStringLiteral("line %1: %2").arg(lineNumber).arg(error));
        }
    }
    socket->setProperty(LinesRead, QVariant::fromValue(lineNumber));
}

} // namespace rpcbench
