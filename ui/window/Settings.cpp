#include "window/Settings.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSettings>
#include <QStandardPaths>

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
const QString LastWorkspace = QStringLiteral("workspace/last");
const QString ReopenLast = QStringLiteral("workspace/reopenLast");
const QString AutosaveSource = QStringLiteral("workspace/autosaveSource");
} // namespace Key

Settings::Settings(const QString& iniPath)
    : m_settings(iniPath.isEmpty() ? std::make_unique<QSettings>()
                                   : std::make_unique<QSettings>(iniPath, QSettings::IniFormat)),
      m_iniPath(iniPath)
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
    const int port = m_settings->value(Key::Port, DefaultServerPort).toInt(&ok);
    return ok && port >= 0 && port <= 65535 ? quint16(port) : DefaultServerPort;
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

QString Settings::lastWorkspace() const
{
    return m_settings->value(Key::LastWorkspace).toString();
}

void Settings::setLastWorkspace(const QString& path)
{
    m_settings->setValue(Key::LastWorkspace, path);
}

bool Settings::reopenLastWorkspace() const
{
    return m_settings->value(Key::ReopenLast, true).toBool();
}

void Settings::setReopenLastWorkspace(bool reopen)
{
    m_settings->setValue(Key::ReopenLast, reopen);
}

QString Settings::autosavePath() const
{
    // Next to an explicit INI file, so that tests and screenshot runs never touch (or recover)
    // the user's own unsaved work.
    if (!m_iniPath.isEmpty()) {
        const QFileInfo ini(m_iniPath);
        return ini.absoluteDir().filePath(ini.completeBaseName() + QStringLiteral(".autosave.rpcbench.json"));
    }
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation))
        .filePath(QStringLiteral("autosave.rpcbench.json"));
}

QString Settings::autosaveSource() const
{
    return m_settings->value(Key::AutosaveSource).toString();
}

void Settings::setAutosaveSource(const QString& path)
{
    m_settings->setValue(Key::AutosaveSource, path);
}

} // namespace rpcbench
