#pragma once
// The Load panel (issue 16): load against a target from the GUI, watched live. The call comes
// from the client composer ("Use composer's call": its URL, dialect, method and params) or from
// a collection of the workspace (a weighted mix of its saved calls, LoadOptions::mix); closed
// loop (connections × depth) or open loop (rate, linear ramp); a duration. The run goes on
// LoadRunController's worker thread; the charts (LoadCharts) get a point per second, redrawn at
// most four times a second. At the end: a summary line, "Copy as command" (the equivalent
// `rpcbench bench` line) and "Export…" (JSON, CSV, PNG of the charts). Load calls are not
// written to the traffic log unless "Log every Nth call" asks for a sample.

#include "load/LoadGenerator.h"
#include "load/LoadReport.h"

#include <QJsonValue>
#include <QWidget>

#include <functional>
#include <map>
#include <memory>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QToolButton;

namespace rpcbench {

class CollectionStore;
class ElidedLabel;
class LoadCharts;
class LoadRunController;
class TrafficBus;

// What "Use composer's call" takes: the client's target and the composed call, or why not.
struct LoadComposerCall
{
    QString url;
    Dialect dialect = Dialect::JsonRpc2;
    QString method;
    QJsonValue params = QJsonValue::Undefined;
    QString error; // non-empty: the composer holds no valid call
};

class LoadPanel : public QWidget
{
    Q_OBJECT
public:
    explicit LoadPanel(CollectionStore* collections, QWidget* parent = nullptr);
    ~LoadPanel() override;

    // Where the sampled calls are logged (the session's bus); none = never logged.
    void setTrafficBus(std::shared_ptr<TrafficBus> bus) { m_bus = std::move(bus); }
    void setComposerSource(std::function<LoadComposerCall()> source) { m_composer = std::move(source); }
    // Applies the connection settings saved for options->url (headers, auth, TLS, a process's
    // environment, the handshake) to options->endpoint and options->init; false with *error
    // when the URL or a saved handshake is unusable. The main window gives the client's.
    using TargetSettings = std::function<bool(LoadOptions* options, QString* error)>;
    void setTargetSettings(TargetSettings settings) { m_targetSettings = std::move(settings); }
    // The workspace's file, for "Copy as command" of a collection run (empty: not saved yet).
    void setWorkspaceFile(std::function<QString()> file) { m_workspaceFile = std::move(file); }

    // The run the form describes; nullopt with *error (shown as is) when the input is bad.
    // *source names the collection in collection mode; *warnings what the mix ignores.
    std::optional<LoadOptions> options(QString* error, LoadReport::CollectionSource* source = nullptr,
                                       QStringList* warnings = nullptr) const;
    // `rpcbench bench ...` of the last finished run (empty before one).
    QString command() const;
    bool isRunning() const;
    LoadRunController* controller() const { return m_controller; }
    LoadCharts* charts() const { return m_charts; }
    QLabel* messageLabel() const { return m_message; }
    QLabel* summaryLabel() const { return m_summary; }
    ElidedLabel* errorsLabel() const { return m_errors; }

    // Export of the last finished run; false with *error.
    bool exportJson(const QString& path, QString* error = nullptr) const;
    bool exportCsv(const QString& path, QString* error = nullptr) const;
    bool exportPng(const QString& path, QString* error = nullptr) const;

public slots:
    bool start(); // false (with the reason in the panel) when nothing started
    void stop();
    void useComposerCall();
    void copyCommand();

signals:
    void status(const QString& text); // one line for the window's status bar
    void runningChanged(bool running);

private:
    QWidget* buildForm();
    QWidget* buildResults();
    void refreshCollections();
    void updateModeFields();
    void updateLogNote();
    void setRunning(bool running);
    void showMessage(const QString& text, bool error);
    void onSecond(const LoadSecond& point);
    void onFinished(const LoadResult& result);
    void showErrors(quint64 total, quint64 connectionsLost); // the errors label, from m_errorsByCode
    bool buildMix(LoadOptions* options, QString* error, LoadReport::CollectionSource* source,
                  QStringList* warnings) const;
    void askExport(const QString& title, const QString& name, const QString& filter,
                   bool (LoadPanel::*write)(const QString&, QString*) const);

    CollectionStore* m_collections;
    std::shared_ptr<TrafficBus> m_bus;
    std::function<LoadComposerCall()> m_composer;
    TargetSettings m_targetSettings;
    std::function<QString()> m_workspaceFile;
    LoadRunController* m_controller;
    LoadReport::CollectionSource m_runSource;  // of the run going
    LoadReport::CollectionSource m_lastSource; // of the last finished run
    bool m_hasResult = false;
    std::map<qint64, quint64> m_errorsByCode; // of the run so far (ReplyScanner's keys)
    int m_seconds = 0;

    QLineEdit* m_url;
    QComboBox* m_dialect;
    QRadioButton* m_singleCall;
    QRadioButton* m_collectionMix;
    QLineEdit* m_method;
    QLineEdit* m_params;
    QPushButton* m_useComposer;
    QComboBox* m_collection;
    QRadioButton* m_closedLoop;
    QRadioButton* m_openLoop;
    QSpinBox* m_connections;
    QSpinBox* m_depth;
    QLabel* m_depthLabel;
    QDoubleSpinBox* m_rate;
    QDoubleSpinBox* m_ramp;
    QDoubleSpinBox* m_rampFrom;
    QDoubleSpinBox* m_duration;
    QSpinBox* m_logEvery;
    QLabel* m_logNote;
    QPushButton* m_start;
    QPushButton* m_stop;
    QLabel* m_message;
    QWidget* m_form;

    LoadCharts* m_charts;
    ElidedLabel* m_errors;
    QLabel* m_summary;
    QPushButton* m_copy;
    QToolButton* m_export;
};

} // namespace rpcbench
