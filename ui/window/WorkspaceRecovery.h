#pragma once
// Nothing lost between runs. While the workspace is modified, a copy of it is written a few
// seconds after the last change (Settings::autosavePath); a clean save, a discard or a normal
// quit removes it. So a copy found at start means the previous run ended without asking:
// restore() offers it back (Recover / Discard) before anything else, and otherwise reopens the
// workspace that was open at the last quit (a setting). A copy is never written before that
// question is answered, so an unanswered question cannot overwrite the work it is about.
// A second window using the same settings (another rpcbench running) must neither offer the
// first one's live copy as "crashed" work nor overwrite it: a lock file next to the copy lets
// only one window autosave; the others say so in the status bar.

#include <QObject>
#include <QTimer>

#include <memory>

class QLockFile;

class QWidget;

namespace rpcbench {

class Settings;
class WorkspaceController;

class WorkspaceRecovery : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultDelayMs = 3000;

    WorkspaceRecovery(WorkspaceController* workspace, Settings& settings, QWidget* window);
    ~WorkspaceRecovery() override;

    QString autosavePath() const;
    void setDelay(int ms); // tests: a short delay instead of waiting seconds
    int delay() const { return m_timer.interval(); }
    bool isAutosaving() const; // false while another window holds the copy

    // At start, once: recovery question or last workspace; then autosaving begins.
    void restore();
    // The window is closing with its work saved or knowingly discarded: drop the copy.
    void discard();

signals:
    void status(const QString& message); // one line for the status bar

private:
    void activate();
    void recover();
    void reopenLast();
    void write();
    void removeCopy();
    QString copyTime() const;

    WorkspaceController* m_workspace;
    Settings& m_settings;
    QWidget* m_window; // parent of the question
    QTimer m_timer;
    std::unique_ptr<QLockFile> m_lock; // held while this window owns the copy
    bool m_active = false;             // restore() decided: copies may be written (and removed)
};

} // namespace rpcbench
