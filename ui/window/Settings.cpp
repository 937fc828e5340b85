#include "window/Settings.h"

#include <QJsonDocument>
#include <QSettings>

namespace rpcbench {

namespace Key {
const QString Geometry = QStringLiteral("window/geometry");
const QString State = QStringLiteral("window/state");
const QString SplitterPrefix = QStringLiteral("splitters/");
const QString Port = QStringLiteral("server/port");
const QString Bind = QStringLiteral("server/bind");
const QString Url = QStringLiteral("client/url");
const QString Dialect = QStringLiteral("client/dialect");
const QString LogCapacity = QStringLiteral("log/capacity");
const QString History = QStringLiteral("client/history");
} // namespace Key

Settings::Settings(const QString& iniPath)
    : m_settings(iniPath.isEmpty() ? std::make_unique<QSettings>()
                                   : std::make_unique<QSettings>(iniPath, QSettings::IniFormat))
{}

Settings::~Settings() = default;

QString Settings::fileName() const
{
    return m_settings->fileName();
}

void Settings::sync()
{
    m_settings->sync();
}

QByteArray Settings::windowGeometry() const
{
    return m_settings->value(Key::Geometry).toByteArray();
}

void Settings::setWindowGeometry(const QByteArray& geometry)
{
    m_settings->setValue(Key::Geometry, geometry);
}

QByteArray Settings::windowState() const
{
    return m_settings->value(Key::State).toByteArray();
}

void Settings::setWindowState(const QByteArray& state)
{
    m_settings->setValue(Key::State, state);
}

QByteArray Settings::splitterState(const QString& name) const
{
    return m_settings->value(Key::SplitterPrefix + name).toByteArray();
}

void Settings::setSplitterState(const QString& name, const QByteArray& state)
{
    m_settings->setValue(Key::SplitterPrefix + name, state);
}

quint16 Settings::serverPort() const
{
    bool ok = false;
    const int port = m_settings->value(Key::Port, 5000).toInt(&ok);
    return ok && port >= 0 && port <= 65535 ? quint16(port) : quint16(5000);
}

void Settings::setServerPort(quint16 port)
{
    m_settings->setValue(Key::Port, port);
}

QString Settings::bindAddress() const
{
    return m_settings->value(Key::Bind, QStringLiteral("127.0.0.1")).toString();
}

void Settings::setBindAddress(const QString& address)
{
    m_settings->setValue(Key::Bind, address);
}

QString Settings::lastUrl() const
{
    return m_settings->value(Key::Url).toString();
}

void Settings::setLastUrl(const QString& url)
{
    m_settings->setValue(Key::Url, url);
}

QString Settings::lastDialect() const
{
    const QString d = m_settings->value(Key::Dialect, QStringLiteral("2.0")).toString();
    static const QStringList known{QStringLiteral("2.0"), QStringLiteral("1.0"), QStringLiteral("classic")};
    return known.contains(d) ? d : QStringLiteral("2.0");
}

void Settings::setLastDialect(const QString& dialect)
{
    m_settings->setValue(Key::Dialect, dialect);
}

int Settings::logCapacity() const
{
    bool ok = false;
    const int rows = m_settings->value(Key::LogCapacity, 100'000).toInt(&ok);
    // A corrupt or absurd value must not make the log unusable or unbounded.
    return ok && rows >= 100 && rows <= 10'000'000 ? rows : 100'000;
}

void Settings::setLogCapacity(int rows)
{
    m_settings->setValue(Key::LogCapacity, rows);
}

QJsonArray Settings::callHistory() const
{
    // Stored as one compact JSON string: QSettings' INI encoding of nested lists is lossy.
    const QByteArray json = m_settings->value(Key::History).toByteArray();
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    return doc.isArray() ? doc.array() : QJsonArray{};
}

void Settings::setCallHistory(const QJsonArray& history)
{
    QJsonArray capped = history;
    while (capped.size() > maxHistory())
        capped.removeFirst();
    m_settings->setValue(Key::History, QJsonDocument(capped).toJson(QJsonDocument::Compact));
}

} // namespace rpcbench
