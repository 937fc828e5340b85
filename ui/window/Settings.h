#pragma once
// The one typed registry for everything the GUI remembers between runs (window layout, splitter
// positions, server port/bind, client target, call history, log capacity). Every read and write
// goes through here so keys and defaults live in one place; tests point it at a temporary file.

#include <QByteArray>
#include <QJsonArray>
#include <QString>

#include <memory>

class QSettings;

namespace rpcbench {

class Settings
{
public:
    // Empty path: the platform's user settings (organization/application name). Otherwise an
    // INI file at `iniPath` (tests, screenshots).
    explicit Settings(const QString& iniPath = {});
    ~Settings();
    Settings(const Settings&) = delete;
    Settings& operator=(const Settings&) = delete;

    QString fileName() const;
    void sync();

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray& geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray& state);
    QByteArray splitterState(const QString& name) const;
    void setSplitterState(const QString& name, const QByteArray& state);

    quint16 serverPort() const; // default 5000
    void setServerPort(quint16 port);
    QString bindAddress() const; // default "127.0.0.1"
    void setBindAddress(const QString& address);

    QString lastUrl() const; // empty = the embedded server
    void setLastUrl(const QString& url);
    QString lastDialect() const; // "2.0", "1.0" or "classic"
    void setLastDialect(const QString& dialect);

    int logCapacity() const; // default 100,000 rows
    void setLogCapacity(int rows);

    // Newest last; each entry an object (see CallHistoryModel). Capped at maxHistory().
    QJsonArray callHistory() const;
    void setCallHistory(const QJsonArray& history);
    static int maxHistory() { return 200; }

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace rpcbench
