#pragma once
// The one typed registry for everything the GUI remembers between runs (window layout, splitter
// positions, server port/bind, client target, call history, log capacity, the last workspace
// and where its autosave copy goes). Every read and write goes through here so keys and
// defaults live in one place; tests point it at a temporary file.

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

    // The GUI's embedded server defaults to 5001, so that it does not collide with a headless
    // `rpcbench serve` (5000, the README's example) running beside it.
    static constexpr quint16 DefaultServerPort = 5001;
    quint16 serverPort() const; // default DefaultServerPort
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

    // The workspace file open when the window last closed (empty: an untitled one).
    QString lastWorkspace() const;
    void setLastWorkspace(const QString& path);
    bool reopenLastWorkspace() const; // default true
    void setReopenLastWorkspace(bool reopen);

    // Where unsaved work is copied while the workspace is modified: next to the INI file
    // (tests, screenshots) or in the platform's application data folder.
    QString autosavePath() const;
    // The workspace file the autosave copy was made from (empty: an untitled workspace).
    QString autosaveSource() const;
    void setAutosaveSource(const QString& path);

private:
    std::unique_ptr<QSettings> m_settings;
    QString m_iniPath;
};

} // namespace rpcbench
