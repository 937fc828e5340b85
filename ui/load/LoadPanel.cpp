#include "load/LoadPanel.h"

#include "collection/Variables.h"
#include "collections/CollectionStore.h"
#include "load/LoadCharts.h"
#include "load/LoadMix.h"
#include "load/LoadReport.h"
#include "load/LoadResultFormat.h"
#include "load/LoadRunController.h"
#include "widgets/ElidedLabel.h"
#include "widgets/Palette.h"
#include "window/Dialogs.h"

#include <QButtonGroup>
#include <QClipboard>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QRadioButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

namespace rpcbench {

namespace {

constexpr int kClosedLoopDepth = 1;
constexpr int kOpenLoopDepth = 1000; // `bench --rate`'s default cap of calls in flight

QDoubleSpinBox* doubleSpin(QWidget* parent, const QString& name, double min, double max, double value,
                           const QString& suffix)
{
    auto* spin = new QDoubleSpinBox(parent);
    spin->setObjectName(name);
    spin->setRange(min, max);
    spin->setDecimals(1);
    spin->setValue(value);
    spin->setSuffix(suffix);
    return spin;
}

QSpinBox* intSpin(QWidget* parent, const QString& name, int min, int max, int value)
{
    auto* spin = new QSpinBox(parent);
    spin->setObjectName(name);
    spin->setRange(min, max);
    spin->setValue(value);
    return spin;
}

bool writeFile(const QString& path, const QByteArray& bytes, QString* error)
{
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit())
        return true;
    if (error)
        *error = QObject::tr("cannot write %1: %2").arg(path, file.errorString());
    return false;
}

} // namespace

LoadPanel::LoadPanel(CollectionStore* collections, QWidget* parent)
    : QWidget(parent), m_collections(collections), m_controller(new LoadRunController(this))
{
    setObjectName(QStringLiteral("loadPanel"));
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("loadSplitter"));
    auto* scroll = new QScrollArea(splitter);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(buildForm());
    splitter->addWidget(scroll);
    splitter->addWidget(buildResults());
    splitter->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(splitter);

    connect(m_controller, &LoadRunController::secondCompleted, this, &LoadPanel::onSecond);
    connect(m_controller, &LoadRunController::finished, this, &LoadPanel::onFinished);
    if (m_collections) {
        connect(m_collections, &CollectionStore::changed, this, &LoadPanel::refreshCollections);
        connect(m_collections, &CollectionStore::reset, this, &LoadPanel::refreshCollections);
    }
    refreshCollections();
    updateModeFields();
    updateLogNote();
    setRunning(false);
}

LoadPanel::~LoadPanel()
{
    // The controller's thread ends first (a run going is dropped there); its last queued
    // signals must not reach this half-destroyed panel.
    disconnect(m_controller, nullptr, this, nullptr);
    delete m_controller;
}

QWidget* LoadPanel::buildForm()
{
    m_form = new QWidget;
    auto* form = new QFormLayout(m_form);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);

    m_url = new QLineEdit(m_form);
    m_url->setObjectName(QStringLiteral("loadUrl"));
    m_url->setPlaceholderText(QStringLiteral("tcp://127.0.0.1:5001"));
    m_dialect = new QComboBox(m_form);
    m_dialect->setObjectName(QStringLiteral("loadDialect"));
    m_dialect->addItems({QStringLiteral("2.0"), QStringLiteral("1.0"), QStringLiteral("classic")});
    auto* target = new QHBoxLayout;
    target->addWidget(m_url, 1);
    target->addWidget(m_dialect);
    form->addRow(tr("Target"), target);

    m_singleCall = new QRadioButton(tr("One call"), m_form);
    m_singleCall->setObjectName(QStringLiteral("loadSingleCall"));
    m_collectionMix = new QRadioButton(tr("Collection mix"), m_form);
    m_collectionMix->setObjectName(QStringLiteral("loadCollectionMix"));
    m_singleCall->setChecked(true);
    auto* sourceGroup = new QButtonGroup(m_form); // the four radio buttons share a parent
    sourceGroup->addButton(m_singleCall);
    sourceGroup->addButton(m_collectionMix);
    auto* source = new QHBoxLayout;
    source->addWidget(m_singleCall);
    source->addWidget(m_collectionMix);
    source->addStretch();
    form->addRow(tr("Calls"), source);
    m_method = new QLineEdit(m_form);
    m_method->setObjectName(QStringLiteral("loadMethod"));
    m_method->setPlaceholderText(tr("echo (16 B payload)"));
    form->addRow(tr("Method"), m_method);
    m_params = new QLineEdit(m_form);
    m_params->setObjectName(QStringLiteral("loadParams"));
    m_params->setPlaceholderText(tr("JSON array or object (optional)"));
    form->addRow(tr("Params"), m_params);
    m_useComposer = new QPushButton(tr("Use composer's call"), m_form);
    m_useComposer->setObjectName(QStringLiteral("useComposerCallButton"));
    m_useComposer->setToolTip(tr("Take the client's target, dialect, method and params"));
    form->addRow(QString(), m_useComposer);
    m_collection = new QComboBox(m_form);
    m_collection->setObjectName(QStringLiteral("loadCollection"));
    m_collection->setToolTip(tr(
        "Every saved call of the collection, in turn (as bench --from-collection: one target, no batches)"));
    form->addRow(tr("Collection"), m_collection);

    m_closedLoop = new QRadioButton(tr("Closed loop"), m_form);
    m_closedLoop->setObjectName(QStringLiteral("loadClosedLoop"));
    m_closedLoop->setToolTip(tr("Each connection keeps its calls in flight: slows down with the server"));
    m_openLoop = new QRadioButton(tr("Open loop (rate)"), m_form);
    m_openLoop->setObjectName(QStringLiteral("loadOpenLoop"));
    m_openLoop->setToolTip(tr("Calls go out on a schedule; latency counts from the intended send time"));
    m_closedLoop->setChecked(true);
    auto* modeGroup = new QButtonGroup(m_form);
    modeGroup->addButton(m_closedLoop);
    modeGroup->addButton(m_openLoop);
    auto* mode = new QHBoxLayout;
    mode->addWidget(m_closedLoop);
    mode->addWidget(m_openLoop);
    mode->addStretch();
    form->addRow(tr("Mode"), mode);
    m_connections = intSpin(m_form, QStringLiteral("loadConnections"), 1, 10'000, 1);
    form->addRow(tr("Connections"), m_connections);
    m_depth = intSpin(m_form, QStringLiteral("loadDepth"), 1, 100'000, kClosedLoopDepth);
    m_depthLabel = new QLabel(tr("In flight per connection"), m_form);
    form->addRow(m_depthLabel, m_depth);
    m_rate = doubleSpin(m_form, QStringLiteral("loadRate"), 0, 10'000'000, 1000, tr(" calls/s"));
    form->addRow(tr("Rate"), m_rate);
    m_ramp = doubleSpin(m_form, QStringLiteral("loadRamp"), 0, 86'400, 0, tr(" s"));
    m_ramp->setToolTip(tr("Raise the rate linearly over this many seconds (part of the duration)"));
    form->addRow(tr("Ramp"), m_ramp);
    m_rampFrom = doubleSpin(m_form, QStringLiteral("loadRampFrom"), 0, 10'000'000, 0, tr(" calls/s"));
    form->addRow(tr("Ramp from"), m_rampFrom);
    m_duration = doubleSpin(m_form, QStringLiteral("loadDuration"), 0.1, 86'400, 10, tr(" s"));
    form->addRow(tr("Duration"), m_duration);

    m_logEvery = intSpin(m_form, QStringLiteral("loadLogEvery"), 0, 1'000'000, 0);
    m_logEvery->setSpecialValueText(tr("off"));
    form->addRow(tr("Log every Nth call"), m_logEvery);
    m_logNote = new QLabel(m_form);
    m_logNote->setObjectName(QStringLiteral("loadLogNote"));
    m_logNote->setWordWrap(true);
    form->addRow(m_logNote);

    m_start = new QPushButton(QIcon(QStringLiteral(":/icons/start.svg")), tr("Start"), m_form);
    m_start->setObjectName(QStringLiteral("loadStartButton"));
    m_stop = new QPushButton(QIcon(QStringLiteral(":/icons/stop.svg")), tr("Stop"), m_form);
    m_stop->setObjectName(QStringLiteral("loadStopButton"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    buttons->addStretch();
    form->addRow(buttons);
    m_message = new QLabel(m_form);
    m_message->setObjectName(QStringLiteral("loadMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(m_message);

    connect(m_openLoop, &QRadioButton::toggled, this, [this](bool open) {
        // The default cap follows the mode, as on the command line; a value typed stays.
        if (open && m_depth->value() == kClosedLoopDepth)
            m_depth->setValue(kOpenLoopDepth);
        else if (!open && m_depth->value() == kOpenLoopDepth)
            m_depth->setValue(kClosedLoopDepth);
        updateModeFields();
    });
    connect(m_collectionMix, &QRadioButton::toggled, this, &LoadPanel::updateModeFields);
    connect(m_ramp, &QDoubleSpinBox::valueChanged, this, &LoadPanel::updateModeFields);
    connect(m_logEvery, &QSpinBox::valueChanged, this, &LoadPanel::updateLogNote);
    connect(m_useComposer, &QPushButton::clicked, this, &LoadPanel::useComposerCall);
    connect(m_start, &QPushButton::clicked, this, &LoadPanel::start);
    connect(m_stop, &QPushButton::clicked, this, &LoadPanel::stop);
    return m_form;
}

QWidget* LoadPanel::buildResults()
{
    auto* results = new QWidget;
    m_charts = new LoadCharts(results);
    m_errors = new ElidedLabel(results);
    m_errors->setObjectName(QStringLiteral("loadErrors"));
    m_errors->setExtraToolTip(tr("Replies carrying an error, by code (most frequent first); \"HTTP n\" is "
                                 "a failed HTTP exchange without a JSON-RPC error. Log every Nth call to see "
                                 "sampled errors in the traffic log."));
    m_summary = new QLabel(tr("No run yet."), results);
    m_summary->setObjectName(QStringLiteral("loadSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_copy = new QPushButton(tr("Copy as command"), results);
    m_copy->setObjectName(QStringLiteral("loadCopyCommandButton"));
    m_copy->setToolTip(tr("The equivalent `rpcbench bench` command line of the last run"));
    m_export = new QToolButton(results);
    m_export->setObjectName(QStringLiteral("loadExportButton"));
    m_export->setText(tr("Export…"));
    m_export->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(m_export);
    menu->addAction(tr("JSON (summary, histogram, time series)…"), this, [this] {
        askExport(tr("Export load run as JSON"), QStringLiteral("load-run.json"), tr("JSON files (*.json)"),
                  &LoadPanel::exportJson);
    });
    menu->addAction(tr("CSV (time series)…"), this, [this] {
        askExport(tr("Export time series as CSV"), QStringLiteral("load-run.csv"), tr("CSV files (*.csv)"),
                  &LoadPanel::exportCsv);
    });
    menu->addAction(tr("PNG (charts)…"), this, [this] {
        askExport(tr("Export charts as PNG"), QStringLiteral("load-run.png"), tr("PNG images (*.png)"),
                  &LoadPanel::exportPng);
    });
    m_export->setMenu(menu);
    connect(m_copy, &QPushButton::clicked, this, &LoadPanel::copyCommand);

    auto* bottom = new QHBoxLayout;
    bottom->addWidget(m_errors, 1); // takes the room left by the buttons, elided beyond
    bottom->addWidget(m_copy);
    bottom->addWidget(m_export);
    auto* layout = new QVBoxLayout(results);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_charts, 1);
    layout->addWidget(m_summary);
    layout->addLayout(bottom);
    return results;
}

void LoadPanel::refreshCollections()
{
    const QString current = m_collection->currentText();
    m_collection->clear();
    if (m_collections)
        for (const Collection& c : m_collections->collections())
            m_collection->addItem(c.name);
    const int index = m_collection->findText(current);
    if (index >= 0)
        m_collection->setCurrentIndex(index);
}

void LoadPanel::updateModeFields()
{
    const bool open = m_openLoop->isChecked();
    const bool mix = m_collectionMix->isChecked();
    m_depthLabel->setText(open ? tr("Max in flight per connection") : tr("In flight per connection"));
    m_rate->setEnabled(open);
    m_ramp->setEnabled(open);
    m_rampFrom->setEnabled(open && m_ramp->value() > 0);
    m_method->setEnabled(!mix);
    m_params->setEnabled(!mix);
    m_collection->setEnabled(mix);
}

void LoadPanel::updateLogNote()
{
    const int n = m_logEvery->value();
    m_logNote->setText(n == 0 ? tr("Load calls are not written to the traffic log.")
                       : n == 1
                           ? tr("Every load call is written to the traffic log (slows the run down).")
                           : tr("Every %1th load call is written to the traffic log (a sample).").arg(n));
}

void LoadPanel::setRunning(bool running)
{
    m_start->setEnabled(!running);
    m_stop->setEnabled(running);
    for (QWidget* w : m_form->findChildren<QWidget*>())
        if (w != m_start && w != m_stop && w != m_message && w != m_logNote)
            w->setEnabled(!running);
    if (!running)
        updateModeFields();
    m_copy->setEnabled(!running && m_hasResult);
    m_export->setEnabled(!running && m_hasResult);
    emit runningChanged(running);
}

void LoadPanel::showMessage(const QString& text, bool error)
{
    m_message->setText(text);
    Palette::setErrorText(m_message, error);
}

bool LoadPanel::isRunning() const
{
    return m_controller->isRunning();
}

void LoadPanel::useComposerCall()
{
    if (!m_composer) {
        showMessage(tr("No composer to take the call from."), true);
        return;
    }
    const LoadComposerCall call = m_composer();
    if (!call.error.isEmpty()) {
        showMessage(tr("The composer's call cannot be used: %1").arg(call.error), true);
        return;
    }
    m_url->setText(call.url);
    m_dialect->setCurrentText(toString(call.dialect));
    m_method->setText(call.method);
    m_params->setText(
        call.params.isUndefined() || call.params.isNull()
            ? QString()
            : QString::fromUtf8(
                  QJsonDocument::fromVariant(call.params.toVariant()).toJson(QJsonDocument::Compact)));
    m_singleCall->setChecked(true);
    showMessage(tr("Took %1 from the composer.").arg(call.method), false);
}

std::optional<LoadOptions> LoadPanel::options(QString* error, LoadReport::CollectionSource* source,
                                              QStringList* warnings) const
{
    LoadOptions o;
    o.url = m_url->text().trimmed();
    o.dialect = dialectFromString(m_dialect->currentText()).value_or(Dialect::JsonRpc2);
    o.connections = m_connections->value();
    o.depth = m_depth->value();
    o.seconds = m_duration->value();
    if (m_openLoop->isChecked()) {
        if (!(m_rate->value() > 0)) {
            *error = tr("Open loop needs a rate above 0 calls/s.");
            return std::nullopt;
        }
        o.rate = m_rate->value();
        o.rampSeconds = m_ramp->value();
        o.rampFromRate = o.rampSeconds > 0 ? m_rampFrom->value() : 0;
        if (o.rampFromRate > o.rate) {
            *error = tr("The ramp must start at or below the rate (%1 calls/s).").arg(o.rate);
            return std::nullopt;
        }
        o.warmupSeconds = 0; // open loop has none (the schedule starts once connected)
    }
    o.bus = m_bus;
    o.logEveryNth = m_logEvery->value();
    LoadReport::CollectionSource mixSource;
    if (m_collectionMix->isChecked()) {
        if (!buildMix(&o, error, &mixSource, warnings))
            return std::nullopt;
    } else {
        o.method = m_method->text().trimmed();
        const QString params = m_params->text().trimmed();
        if (!params.isEmpty()) {
            if (o.method.isEmpty()) {
                *error = tr("Params need a method (the default echo call takes none).");
                return std::nullopt;
            }
            QJsonParseError parse{};
            const QJsonDocument doc = QJsonDocument::fromJson(params.toUtf8(), &parse);
            if (parse.error != QJsonParseError::NoError || doc.isNull()) {
                *error = tr("Params are not valid JSON (a JSON array or object): %1 at %2.")
                             .arg(parse.errorString())
                             .arg(parse.offset);
                return std::nullopt;
            }
            if (!doc.isArray() && !doc.isObject()) {
                *error = tr("Params must be a JSON array or object.");
                return std::nullopt;
            }
            o.params = doc.toJson(QJsonDocument::Compact);
        }
    }
    if (o.url.isEmpty()) {
        *error = tr("Enter a target URL (or take the composer's call).");
        return std::nullopt;
    }
    if (m_targetSettings && !m_targetSettings(&o, error))
        return std::nullopt;
    QString invalid;
    LoadGenerator::buildRequest(o, &invalid);
    if (!invalid.isEmpty()) {
        *error = invalid.left(1).toUpper() + invalid.mid(1) + QLatin1Char('.');
        return std::nullopt;
    }
    if (source)
        *source = mixSource;
    return o;
}

// The collection's saved calls as LoadOptions::mix, as `bench --from-collection` builds it
// (LoadMix): {{variables}} from the collection and the current environment, resolved once;
// the calls' own target when the URL field is empty; their dialect.
bool LoadPanel::buildMix(LoadOptions* o, QString* error, LoadReport::CollectionSource* source,
                         QStringList* warnings) const
{
    const int index = m_collection->currentIndex();
    if (!m_collections || index < 0 || index >= m_collections->collections().size()) {
        *error = tr("Pick a collection (the workspace has none yet: save a call to one first).");
        return false;
    }
    const Collection& c = m_collections->collections().at(index);
    const QString environment = m_collections->currentEnvironment();
    Variables variables;
    if (!environment.isEmpty())
        variables.setLayer(Variables::Layer::Environment, m_collections->environments().value(environment));
    QString why;
    const auto mix = LoadMix::fromCollection(c, QString(), variables, &why);
    if (!mix) {
        *error = tr("The collection \"%1\" cannot be sent as load: %2").arg(c.name, why);
        return false;
    }
    if (mix->calls.isEmpty()) {
        *error = tr("The collection \"%1\" has no calls.").arg(c.name);
        return false;
    }
    o->mix = mix->calls;
    o->dialect = mix->dialect;
    if (o->url.isEmpty())
        o->url = mix->target;
    if (warnings)
        *warnings = mix->warnings;
    *source = {m_workspaceFile ? m_workspaceFile() : QString(), c.name, environment};
    return true;
}

bool LoadPanel::start()
{
    QString error;
    LoadReport::CollectionSource source;
    QStringList warnings;
    const auto o = options(&error, &source, &warnings);
    if (!o || !m_controller->start(*o, &error)) {
        showMessage(error, true);
        emit status(tr("Load run not started: %1").arg(error));
        return false;
    }
    m_runSource = source;
    m_errorsByCode.clear();
    m_seconds = 0;
    m_charts->clear();
    showErrors(0, 0);
    m_summary->setText(tr("Running…"));
    QString text =
        o->openLoop()
            ? tr("Running: %1 calls/s for %2 s.").arg(o->rate).arg(o->seconds)
            : tr("Running: %1 × %2 in flight for %3 s.").arg(o->connections).arg(o->depth).arg(o->seconds);
    if (const QString settings = LoadReport::targetSettings(*o); !settings.isEmpty())
        text += QLatin1Char(' ') + settings;
    if (!warnings.isEmpty())
        text += QLatin1Char(' ') + warnings.join(QLatin1Char(' '));
    showMessage(text, false);
    setRunning(true);
    return true;
}

void LoadPanel::stop()
{
    if (m_controller->isRunning()) {
        showMessage(tr("Stopping…"), false);
        m_controller->stop();
    }
}

void LoadPanel::onSecond(const LoadSecond& point)
{
    m_charts->addPoint(point);
    for (const auto& [code, count] : point.errorsByCode)
        m_errorsByCode[code] += count;
    m_seconds = point.second + 1;
    quint64 total = 0;
    for (const auto& entry : m_errorsByCode)
        total += entry.second;
    showErrors(total, 0);
}

void LoadPanel::showErrors(quint64 total, quint64 connectionsLost)
{
    QString text =
        total > 0 ? tr("Errors: %1 (%2)").arg(total).arg(LoadResultFormat::errorsByCodeText(m_errorsByCode))
                  : tr("Errors: 0");
    if (connectionsLost > 0)
        text += tr(" · connections lost: %1").arg(connectionsLost);
    m_errors->setFullText(text);
    Palette::setErrorText(m_errors, total > 0 || connectionsLost > 0);
}

void LoadPanel::onFinished(const LoadResult& result)
{
    m_hasResult = true;
    m_lastSource = m_runSource;
    m_charts->flush();
    m_charts->setHistogram(result.latency, true);
    m_errorsByCode = result.errorsByCode;
    showErrors(result.errors, result.connectionErrors);
    m_summary->setText(LoadReport::summary(m_controller->lastOptions(), result));
    if (result.ok)
        showMessage(tr("Finished."), false);
    else
        showMessage(result.error, true);
    emit status(result.ok ? tr("Load run finished: %1 calls/s").arg(qint64(result.callsPerSecond + 0.5))
                          : tr("Load run ended: %1").arg(result.error));
    setRunning(false);
}

QString LoadPanel::command() const
{
    return m_hasResult ? LoadReport::command(m_controller->lastOptions(), m_lastSource) : QString();
}

void LoadPanel::copyCommand()
{
    const QString line = command();
    if (line.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(line);
    if (!m_lastSource.collection.isEmpty() && m_lastSource.file.isEmpty())
        emit status(
            tr("Copied; save the workspace and put its file for %1").arg(LoadReport::kUnsavedWorkspace));
    else
        emit status(tr("Copied: %1").arg(line));
}

bool LoadPanel::exportJson(const QString& path, QString* error) const
{
    const QJsonObject json =
        LoadReport::toJson(m_controller->lastOptions(), m_controller->lastResult(), m_lastSource);
    return writeFile(path, QJsonDocument(json).toJson(QJsonDocument::Indented), error);
}

bool LoadPanel::exportCsv(const QString& path, QString* error) const
{
    return writeFile(path, LoadReport::toCsv(m_controller->lastResult().timeSeries), error);
}

bool LoadPanel::exportPng(const QString& path, QString* error) const
{
    if (m_charts->grab().save(path, "PNG"))
        return true;
    if (error)
        *error = tr("cannot write %1").arg(path);
    return false;
}

void LoadPanel::askExport(const QString& title, const QString& name, const QString& filter,
                          bool (LoadPanel::*write)(const QString&, QString*) const)
{
    Dialogs::saveFileName(this, title, name, filter, [this, write](const QString& path) {
        QString error;
        if ((this->*write)(path, &error))
            emit status(tr("Exported %1").arg(path));
        else
            Dialogs::showError(this, tr("Export failed"), error);
    });
}

} // namespace rpcbench
