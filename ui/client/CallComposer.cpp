#include "client/CallComposer.h"

#include "client/CommandLineBuilder.h"
#include "client/ParamForm.h"
#include "client/TabOrder.h"
#include "util/JsonText.h"
#include "widgets/FlowLayout.h"
#include "widgets/JsonHighlighter.h"
#include "widgets/Palette.h"
#include "widgets/StatusIcons.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QButtonGroup>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QCompleter>
#include <QFontDatabase>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMouseEvent>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace rpcbench {

CallComposer::CallComposer(QWidget* parent)
    : QWidget(parent), m_method(new QComboBox(this)), m_tabs(new QTabWidget(this)), m_form(new ParamForm),
      m_raw(new QPlainTextEdit), m_byPosition(new QRadioButton(tr("By position"))),
      m_byName(new QRadioButton(tr("By name"))), m_notification(new QCheckBox(tr("Notification"))),
      m_timeout(new QSpinBox), m_validation(new QLabel(this)), m_send(new QPushButton(tr("Send"), this)),
      m_addToBatch(new QPushButton(tr("Add to batch"), this)), m_copy(new QToolButton(this))
{
    m_method->setObjectName(QStringLiteral("methodCombo"));
    m_method->setEditable(true);
    m_method->setInsertPolicy(QComboBox::NoInsert);
    m_method->lineEdit()->setPlaceholderText(tr("method name"));
    m_method->completer()->setCompletionMode(QCompleter::PopupCompletion);
    m_method->completer()->setFilterMode(Qt::MatchContains);
    m_method->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    connect(m_method, &QComboBox::currentTextChanged, this, &CallComposer::onMethodTyped);
    // Typing only builds the form of a name typed in full; the text is taken as the method (an
    // unknown name switches to raw params) when the user is done with the field.
    connect(m_method->lineEdit(), &QLineEdit::editingFinished, this, &CallComposer::commitMethod);
    connect(m_method->completer(), qOverload<const QString&>(&QCompleter::activated), this,
            &CallComposer::commitMethod);
    // A click outside the completer's popup closes it and is swallowed: replay it (see
    // eventFilter), so "type add, click field a, type 1" fills a instead of typing "add1".
    m_method->completer()->popup()->installEventFilter(this);

    m_form->setObjectName(QStringLiteral("paramForm"));
    auto* scroll = new QScrollArea;
    scroll->setWidget(m_form);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setFocusPolicy(Qt::NoFocus); // the fields take focus, not their frame
    m_raw->setObjectName(QStringLiteral("rawParamsEdit"));
    m_raw->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_raw->setPlaceholderText(tr("params as JSON: [1, 2] by position or {\"a\": 1} by name; empty = none"));
    m_raw->setTabChangesFocus(true);
    new JsonHighlighter(m_raw->document(), palette().color(QPalette::Base).lightness() < 128);
    m_tabs->setObjectName(QStringLiteral("composerTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(scroll, tr("Form"));
    m_tabs->addTab(m_raw, tr("Raw JSON"));
    connect(m_form, &ParamForm::changed, this, &CallComposer::onFormChanged);
    connect(m_raw, &QPlainTextEdit::textChanged, this, &CallComposer::onRawChanged);

    m_validation->setObjectName(QStringLiteral("validationLabel"));
    m_validation->setWordWrap(true);
    m_validation->setMinimumWidth(1); // wraps to any width instead of widening the panel
    Palette::setErrorText(m_validation);
    m_send->setObjectName(QStringLiteral("sendButton"));
    m_send->setIcon(QIcon(QStringLiteral(":/icons/send.svg")));
    m_send->setToolTip(tr("Send the call (Ctrl+Return)"));
    m_send->setDefault(true);
    m_addToBatch->setObjectName(QStringLiteral("addToBatchButton"));
    m_addToBatch->setIcon(QIcon(QStringLiteral(":/icons/batch.svg")));
    m_addToBatch->setToolTip(tr("Queue this call; the queue is sent as one JSON-RPC batch"));
    connect(m_send, &QPushButton::clicked, this, &CallComposer::send);
    connect(m_addToBatch, &QPushButton::clicked, this, &CallComposer::addToBatch);

    m_copy->setObjectName(QStringLiteral("copyCommandButton"));
    m_copy->setText(tr("Copy as…")); // short: the row fits beside Add to batch and Send
    m_copy->setToolTip(tr("Copy the call as a command: rpcbench call, curl or printf | nc"));
    m_copy->setIcon(QIcon(QStringLiteral(":/icons/copy.svg")));
    m_copy->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_copy->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(m_copy);
    menu->addAction(tr("rpcbench call …"), this, [this] { copyToClipboard(rpcbenchCommand()); })
        ->setObjectName(QStringLiteral("copyRpcbenchAction"));
    menu->addAction(tr("curl …"), this, [this] { copyToClipboard(curlCommand()); })
        ->setObjectName(QStringLiteral("copyCurlAction"));
    menu->addAction(tr("printf … | nc (TCP)"), this, [this] {
        if (const auto r = request())
            copyToClipboard(m_endpoint ? CommandLineBuilder::netcat(*m_endpoint, m_dialect, *r)
                                       : CommandLineBuilder::netcat(m_url, m_dialect, *r));
    });
    // Secrets stay out of the clipboard (shell variables instead) unless picked here.
    menu->addSeparator();
    m_copySecretActions = {
        menu->addAction(tr("rpcbench call … (with secrets)"), this,
                        [this] { copyToClipboard(rpcbenchCommand(true)); }),
        menu->addAction(tr("curl … (with secrets)"), this, [this] { copyToClipboard(curlCommand(true)); })};
    m_copySecretActions.at(0)->setObjectName(QStringLiteral("copyRpcbenchSecretsAction"));
    m_copySecretActions.at(1)->setObjectName(QStringLiteral("copyCurlSecretsAction"));
    for (QAction* a : m_copySecretActions)
        a->setVisible(false);
    // A tool button takes no focus on click, so the method field is not left: commit it here.
    connect(menu, &QMenu::aboutToShow, this, &CallComposer::commitMethod);
    m_copy->setMenu(menu);

    auto* methodRow = new QHBoxLayout;
    methodRow->addWidget(new QLabel(tr("Method"), this));
    methodRow->addWidget(m_method, 1);
    // The buttons wrap onto a second row in a narrow panel rather than clip their texts.
    auto* buttonRow = new QWidget(this);
    auto* buttons = new FlowLayout(buttonRow);
    buttons->addWidget(m_copy);
    buttons->addWidget(m_addToBatch);
    buttons->addWidget(m_send);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(methodRow);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(buildOptions());
    layout->addWidget(m_validation);
    layout->addWidget(buttonRow);
    layout->addWidget(buildBatchBox());
    revalidate();
    updateTabOrder();
}

QList<QWidget*> CallComposer::focusChain() const
{
    QList<QWidget*> chain{m_method, m_tabs->tabBar()};
    chain << m_form->editors();
    chain << QList<QWidget*>{m_raw,       m_byPosition,       m_byName,    m_notification,
                             m_timeout,   m_resetsOnProgress, m_copy,      m_addToBatch,
                             m_batchList, m_sendBatch,        m_clearBatch};
    // Send is the last button of its row; the batch queue below it follows.
    chain.insert(chain.indexOf(m_addToBatch) + 1, m_send);
    return chain;
}

void CallComposer::updateTabOrder()
{
    setTabChain(focusChain());
    emit focusChainChanged();
}

bool CallComposer::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::MouseButtonPress && watched == m_method->completer()->popup())
        return replayClickOutsidePopup(static_cast<QWidget*>(watched), static_cast<QMouseEvent*>(event));
    return QWidget::eventFilter(watched, event);
}

bool CallComposer::replayClickOutsidePopup(QWidget* popup, QMouseEvent* event)
{
    if (popup->rect().contains(event->position().toPoint()))
        return false; // a pick in the list: the completer handles it
    const QPoint global = event->globalPosition().toPoint();
    popup->hide();
    commitMethod();
    // The form may just have been rebuilt: lay it out so the click finds the new field.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    QWidget* target = QApplication::widgetAt(global);
    if (!target || target->window() != window() || !target->isEnabled())
        return true;
    // What a click does: focus (a synthesized event does not give it) and a press and a release.
    QWidget* focusTarget = target;
    while (focusTarget && !(focusTarget->focusPolicy() & Qt::ClickFocus) && !focusTarget->isWindow())
        focusTarget = focusTarget->parentWidget();
    if (focusTarget && (focusTarget->focusPolicy() & Qt::ClickFocus))
        focusTarget->setFocus(Qt::MouseFocusReason);
    const QPointF local = target->mapFromGlobal(QPointF(global));
    QMouseEvent press(QEvent::MouseButtonPress, local, QPointF(global), event->button(), event->buttons(),
                      event->modifiers());
    QCoreApplication::sendEvent(target, &press);
    QMouseEvent release(QEvent::MouseButtonRelease, local, QPointF(global), event->button(),
                        event->buttons() & ~event->button(), event->modifiers());
    QCoreApplication::sendEvent(target, &release);
    return true;
}

QWidget* CallComposer::buildOptions()
{
    auto* box = new QWidget(this);
    auto* structure = new QWidget(box); // the two radios and the timeout with its label stay together
    auto* timeout = new QWidget(box);
    m_byPosition->setObjectName(QStringLiteral("byPositionRadio"));
    m_byName->setObjectName(QStringLiteral("byNameRadio"));
    m_byPosition->setChecked(true);
    auto* group = new QButtonGroup(box);
    group->addButton(m_byPosition);
    group->addButton(m_byName);
    connect(m_byName, &QRadioButton::toggled, this, &CallComposer::onByNameToggled);
    m_notification->setObjectName(QStringLiteral("notificationCheck"));
    m_notification->setToolTip(tr("Send without an id: the server answers nothing"));
    connect(m_notification, &QCheckBox::toggled, this, &CallComposer::revalidate);
    m_timeout->setObjectName(QStringLiteral("timeoutSpin"));
    m_timeout->setRange(0, 3'600'000);
    m_timeout->setSingleStep(1000);
    m_timeout->setValue(30'000);
    m_timeout->setSuffix(tr(" ms"));
    m_timeout->setSpecialValueText(tr("no timeout"));
    m_timeout->setToolTip(tr("How long to wait for the reply (0: wait forever)"));
    auto* structureRow = new QHBoxLayout(structure);
    structureRow->setContentsMargins(0, 0, 0, 0);
    structureRow->addWidget(m_byPosition);
    structureRow->addWidget(m_byName);
    auto* timeoutRow = new QHBoxLayout(timeout);
    timeoutRow->setContentsMargins(0, 0, 0, 0);
    auto* timeoutLabel = new QLabel(tr("Timeout"), timeout);
    timeoutLabel->setBuddy(m_timeout);
    timeoutRow->addWidget(timeoutLabel);
    timeoutRow->addWidget(m_timeout);
    // LSP and MCP servers report progress on long calls; with this, each report restarts the
    // timeout, so a short timeout catches a stalled server without failing a busy one.
    m_resetsOnProgress = new QCheckBox(tr("Timeout resets on progress"), box);
    m_resetsOnProgress->setObjectName(QStringLiteral("timeoutResetsOnProgressCheck"));
    m_resetsOnProgress->setToolTip(tr("Progress the server reports for this call ($/progress, "
                                      "notifications/progress) restarts its timeout"));
    auto* layout = new FlowLayout(box, 12);
    layout->addWidget(structure);
    layout->addWidget(m_notification);
    layout->addWidget(timeout);
    layout->addWidget(m_resetsOnProgress);
    return box;
}

QWidget* CallComposer::buildBatchBox()
{
    auto* box = new QGroupBox(tr("Batch queue"), this);
    m_batchBox = box;
    m_batchList = new QListWidget(box);
    m_batchList->setObjectName(QStringLiteral("batchList"));
    m_batchList->setMaximumHeight(fontMetrics().lineSpacing() * 5);
    m_sendBatch = new QPushButton(box);
    m_sendBatch->setObjectName(QStringLiteral("sendBatchButton"));
    m_sendBatch->setIcon(QIcon(QStringLiteral(":/icons/send.svg")));
    auto* clear = new QPushButton(tr("Clear"), box);
    m_clearBatch = clear;
    clear->setObjectName(QStringLiteral("clearBatchButton"));
    connect(m_sendBatch, &QPushButton::clicked, this, &CallComposer::sendBatch);
    connect(clear, &QPushButton::clicked, this, [this] {
        m_batch.clear();
        m_batchList->clear();
        revalidate();
    });
    auto* buttons = new QVBoxLayout;
    buttons->addWidget(m_sendBatch);
    buttons->addWidget(clear);
    buttons->addStretch(1);
    auto* layout = new QHBoxLayout(box);
    layout->addWidget(m_batchList, 1);
    layout->addLayout(buttons);
    box->hide();
    return box;
}

void CallComposer::setMethods(const QList<MethodInfo>& methods)
{
    m_methods = methods;
    const QString current = m_method->currentText();
    {
        QSignalBlocker block(m_method);
        m_method->clear();
        for (const MethodInfo& m : methods)
            m_method->addItem(m.name);
        m_method->setCurrentText(current);
    }
    onMethodChanged(current); // the signature may have changed or become known
}

void CallComposer::setTarget(const QString& url, Dialect dialect)
{
    if (const auto endpoint = Endpoint::parse(url)) {
        setTarget(*endpoint, dialect);
        return;
    }
    m_url = url;
    m_endpoint.reset();
    m_dialect = dialect;
    for (QAction* a : m_copySecretActions)
        a->setVisible(false);
    revalidate();
}

void CallComposer::setTarget(const Endpoint& endpoint, Dialect dialect)
{
    m_url = endpoint.toString();
    m_endpoint = endpoint;
    m_dialect = dialect;
    for (QAction* a : m_copySecretActions)
        a->setVisible(endpoint.options.hasSecrets());
    revalidate();
}

const MethodInfo* CallComposer::findMethod(const QString& name) const
{
    for (const MethodInfo& m : m_methods) {
        if (m.name == name)
            return &m;
    }
    return nullptr;
}

void CallComposer::selectMethod(const QString& name)
{
    m_method->setCurrentText(name);
    commitMethod();
}

void CallComposer::onMethodTyped(const QString& name)
{
    if (findMethod(name.trimmed()))
        onMethodChanged(name); // typed in full (or picked): its form at once
    else
        revalidate();
}

void CallComposer::commitMethod()
{
    onMethodChanged(m_method->currentText());
}

void CallComposer::onMethodChanged(const QString& name)
{
    const MethodInfo* info = findMethod(name.trimmed());
    if (info && (!m_form->hasMethod() || m_form->method().name != info->name ||
                 m_form->method().signature() != info->signature())) {
        m_form->setMethod(*info);
        m_method->setToolTip(info->signature() + QLatin1Char('\n') + info->description);
        m_source = Source::Form;
        writeRawFromForm();
    } else if (!info && m_form->hasMethod()) {
        m_form->clearMethod(
            m_methods.isEmpty()
                ? tr("This server did not describe its methods: write the params in the Raw JSON tab.")
                : tr("Unknown method: write its params in the Raw JSON tab."));
        m_method->setToolTip(QString());
        m_source = Source::Raw;
    } else if (!info) {
        m_source = Source::Raw;
    }
    updateTabOrder();
    revalidate();
}

void CallComposer::onFormChanged()
{
    m_source = Source::Form;
    writeRawFromForm();
    revalidate();
}

void CallComposer::writeRawFromForm()
{
    QStringList ignored;
    const QJsonValue params = m_form->params(m_byName->isChecked(), &ignored);
    const QString text = QString::fromUtf8(JsonText::serialize(params));
    if (m_raw->toPlainText() == text)
        return;
    m_syncing = true;
    m_raw->setPlainText(text);
    m_syncing = false;
}

void CallComposer::onRawChanged()
{
    if (m_syncing)
        return;
    m_source = Source::Raw;
    QString reason;
    const QString text = m_raw->toPlainText();
    const std::optional<QJsonValue> v =
        text.trimmed().isEmpty() ? QJsonValue(QJsonValue::Undefined) : JsonText::parseValue(text, &reason);
    if (v && m_form->hasMethod()) {
        QSignalBlocker block(m_byName);
        if (v->isObject())
            m_byName->setChecked(true);
        else if (v->isArray())
            m_byPosition->setChecked(true);
        m_form->setParams(*v);
    }
    revalidate();
}

void CallComposer::onByNameToggled()
{
    if (m_source == Source::Raw && !currentParams(nullptr)) // keep an invalid raw text as typed
        return;
    m_source = Source::Form;
    writeRawFromForm();
    revalidate();
}

std::optional<QJsonValue> CallComposer::currentParams(QStringList* errors) const
{
    QStringList found;
    QJsonValue params;
    if (m_source == Source::Form && m_form->hasMethod()) {
        params = m_form->params(m_byName->isChecked(), &found);
    } else {
        const QString text = m_raw->toPlainText();
        QString reason;
        const std::optional<QJsonValue> v = text.trimmed().isEmpty() ? QJsonValue(QJsonValue::Undefined)
                                                                     : JsonText::parseValue(text, &reason);
        if (!v)
            found << tr("Raw JSON: %1").arg(reason);
        else if (m_form->hasMethod())
            found << ParamForm::check(m_form->method(), *v);
        else if (!v->isUndefined() && !v->isArray() && !v->isObject())
            found << tr("params must be an array (by position) or an object (by name)");
        params = v.value_or(QJsonValue());
    }
    if (errors)
        *errors << found;
    if (!found.isEmpty())
        return std::nullopt;
    return params;
}

QStringList CallComposer::errors() const
{
    QStringList errors;
    if (m_method->currentText().trimmed().isEmpty())
        errors << tr("Pick or type a method name.");
    currentParams(&errors);
    return errors;
}

std::optional<CallRequest> CallComposer::request() const
{
    const std::optional<QJsonValue> params = currentParams(nullptr);
    const QString method = m_method->currentText().trimmed();
    if (!params || method.isEmpty())
        return std::nullopt;
    CallRequest r;
    r.method = method;
    r.params = *params;
    r.notification = m_notification->isChecked();
    r.timeoutMs = m_timeout->value();
    r.timeoutResetsOnProgress = m_resetsOnProgress->isChecked();
    return r;
}

void CallComposer::revalidate()
{
    const QStringList problems = errors();
    // One line while they fit (a word-wrapped label): a line per problem cost a small window
    // its height.
    m_validation->setText(problems.mid(0, 3).join(QStringLiteral("; ")));
    m_send->setEnabled(problems.isEmpty());
    m_addToBatch->setEnabled(problems.isEmpty() && m_dialect != Dialect::Classic);
    m_copy->setEnabled(problems.isEmpty());
    const bool rawBroken = m_source == Source::Raw && !currentParams(nullptr);
    m_raw->setProperty("invalid", rawBroken);
    m_tabs->setTabIcon(1, StatusIcons::icon(rawBroken ? StatusIcon::Warning : StatusIcon::None));
    m_tabs->setTabToolTip(1, rawBroken ? tr("The raw JSON params are not valid") : QString());
    m_sendBatch->setText(tr("Send batch (%1)").arg(m_batch.size()));
    m_sendBatch->setEnabled(!m_batch.isEmpty() && m_dialect != Dialect::Classic);
    m_batchBox->setVisible(!m_batch.isEmpty());
}

bool CallComposer::send()
{
    commitMethod(); // Ctrl+Return straight from the method field
    const std::optional<CallRequest> r = request();
    revalidate();
    if (!r)
        return false;
    emit sendRequested(*r);
    return true;
}

bool CallComposer::addToBatch()
{
    commitMethod();
    const std::optional<CallRequest> r = request();
    if (!r || m_dialect == Dialect::Classic)
        return false;
    appendToBatch(*r);
    revalidate();
    return true;
}

void CallComposer::appendToBatch(const CallRequest& request)
{
    m_batch.append(request);
    m_batchList->addItem(
        QStringLiteral("%1 %2%3").arg(request.method, QString::fromUtf8(JsonText::serialize(request.params)),
                                      request.notification ? tr(" (notification)") : QString()));
}

void CallComposer::loadBatch(const QList<CallRequest>& requests)
{
    m_batch.clear();
    m_batchList->clear();
    for (const CallRequest& request : requests)
        appendToBatch(request);
    revalidate();
}

bool CallComposer::sendBatch()
{
    if (m_batch.isEmpty() || m_dialect == Dialect::Classic)
        return false;
    emit sendBatchRequested(m_batch);
    m_batch.clear();
    m_batchList->clear();
    revalidate();
    return true;
}

void CallComposer::loadCall(const QString& method, const QJsonValue& params, bool notification)
{
    m_method->setCurrentText(method);
    commitMethod();
    m_notification->setChecked(notification);
    m_syncing = true;
    m_raw->setPlainText(QString::fromUtf8(JsonText::serialize(params)));
    m_syncing = false;
    onRawChanged(); // the raw text is exact; the form follows it
}

QString CallComposer::rpcbenchCommand(bool revealSecrets) const
{
    const std::optional<CallRequest> r = request();
    if (!r)
        return QString();
    return m_endpoint ? CommandLineBuilder::rpcbenchCall(*m_endpoint, m_dialect, *r, revealSecrets)
                      : CommandLineBuilder::rpcbenchCall(m_url, m_dialect, *r);
}

QString CallComposer::curlCommand(bool revealSecrets) const
{
    const std::optional<CallRequest> r = request();
    if (!r)
        return QString();
    return m_endpoint ? CommandLineBuilder::curl(*m_endpoint, m_dialect, *r, revealSecrets)
                      : CommandLineBuilder::curl(m_url, m_dialect, *r);
}

void CallComposer::copyToClipboard(const QString& text)
{
    if (!text.isEmpty())
        QGuiApplication::clipboard()->setText(text);
}

} // namespace rpcbench
