#include "client/TargetBar.h"

#include "client/ConnectionSettingsDialog.h"
#include "widgets/ElidedLabel.h"
#include "widgets/StatusIcons.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>
#include <QVBoxLayout>

namespace rpcbench {

TargetBar::TargetBar(const QString& url, const QString& dialect, QWidget* parent)
    : QWidget(parent), m_url(new QLineEdit(url, this)), m_dialect(new QComboBox(this)),
      m_discover(new QToolButton(this)), m_connection(new QToolButton(this)),
      m_insecureMark(new QLabel(this)), m_secretsMark(new QLabel(this)), m_urlErrorIcon(new QLabel(this)),
      m_urlError(new ElidedLabel(this)), m_stateIcon(new QLabel(this)), m_state(new ElidedLabel(this)),
      m_discoveryIcon(new QLabel(this)), m_discovery(new ElidedLabel(this))
{
    m_url->setObjectName(QStringLiteral("clientUrlEdit"));
    m_url->setClearButtonEnabled(true);
    m_url->setToolTip(tr("tcp://host:port, tcp+lsp://host:port, http(s)://host:port/path,\n"
                         "tcp+tls://host:port, ws(s)://host:port/path, unix:/path, unix+lsp:/path,\n"
                         "exec:COMMAND ARGS (one JSON message per line) or exec+lsp:COMMAND ARGS.\n"
                         "Leave empty to call the embedded server."));
    // Wide enough to read a whole local address; the status row below gives way instead.
    m_url->setMinimumWidth(
        qMax(200, m_url->fontMetrics().horizontalAdvance(QStringLiteral("tcp://127.0.0.1:65535")) + 40));
    m_dialect->setObjectName(QStringLiteral("dialectCombo"));
    m_dialect->addItem(tr("JSON-RPC 2.0"), QStringLiteral("2.0"));
    m_dialect->addItem(tr("JSON-RPC 1.0"), QStringLiteral("1.0"));
    m_dialect->addItem(tr("classic"), QStringLiteral("classic"));
    m_dialect->setCurrentIndex(qMax(0, m_dialect->findData(dialect)));
    m_discover->setObjectName(QStringLiteral("discoverButton"));
    m_discover->setText(tr("Discover"));
    m_discover->setIcon(QIcon(QStringLiteral(":/icons/discover.svg")));
    m_discover->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_discover->setToolTip(tr("Ask the server for its methods (rpc.discover, else system.listMethods)"));
    m_connection->setObjectName(QStringLiteral("connectionButton"));
    // An icon only: the row must fit beside the server dock in a 1024-pixel window.
    m_connection->setText(tr("Connection…"));
    m_connection->setIcon(QIcon(QStringLiteral(":/icons/connection-settings.svg")));
    m_connection->setToolButtonStyle(Qt::ToolButtonIconOnly);
    m_connection->setAccessibleName(tr("Connection settings"));
    m_connection->setToolTip(tr("Connection… — headers, authentication, TLS, or launching a process, "
                                "for this target"));
    m_insecureMark->setObjectName(QStringLiteral("insecureMark"));
    StatusIcons::setPixmap(m_insecureMark, StatusIcon::Warning);
    m_insecureMark->setToolTip(tr("TLS certificates are not verified"));
    m_secretsMark->setObjectName(QStringLiteral("secretsMark"));
    const int side = m_secretsMark->fontMetrics().height();
    m_secretsMark->setPixmap(QIcon(QStringLiteral(":/icons/state-secret.svg")).pixmap(QSize(side, side)));
    m_urlErrorIcon->setObjectName(QStringLiteral("urlErrorIcon"));
    StatusIcons::setPixmap(m_urlErrorIcon, StatusIcon::Error);
    m_urlError->setObjectName(QStringLiteral("urlErrorLabel"));
    m_stateIcon->setObjectName(QStringLiteral("clientStateIcon"));
    StatusIcons::setPixmap(m_stateIcon, StatusIcon::Disconnected);
    m_state->setObjectName(QStringLiteral("clientStateLabel"));
    m_state->setFullText(tr("not connected"));
    m_discoveryIcon->setObjectName(QStringLiteral("discoveryIcon"));
    StatusIcons::setPixmap(m_discoveryIcon, StatusIcon::None);
    m_discovery->setObjectName(QStringLiteral("discoveryLabel"));

    connect(m_discover, &QToolButton::clicked, this, &TargetBar::discoverRequested);
    connect(m_connection, &QToolButton::clicked, this, &TargetBar::editConnection);
    connect(m_url, &QLineEdit::editingFinished, this, &TargetBar::targetEdited);
    connect(m_url, &QLineEdit::returnPressed, this, &TargetBar::connectRequested);
    connect(m_url, &QLineEdit::textChanged, this, [this] {
        validateUrl();
        updateMarks();
    });
    connect(m_dialect, &QComboBox::currentIndexChanged, this, &TargetBar::targetEdited);

    // Three rows: the target itself; why the typed URL is wrong (only while it is); then what
    // is known about the target (connection state, discovery outcome or the reason it failed),
    // elided in a narrow window with the whole text as tooltip.
    auto* targetLabel = new QLabel(tr("Target"), this);
    targetLabel->setBuddy(m_url);
    auto* target = new QHBoxLayout;
    target->addWidget(targetLabel);
    target->addWidget(m_url, 1);
    target->addWidget(m_insecureMark);
    target->addWidget(m_secretsMark);
    target->addWidget(m_dialect);
    target->addWidget(m_connection);
    target->addWidget(m_discover);
    auto* error = new QHBoxLayout;
    error->addWidget(m_urlErrorIcon);
    error->addWidget(m_urlError, 1);
    auto* status = new QHBoxLayout;
    status->addWidget(m_stateIcon);
    status->addWidget(m_state, 1);
    status->addSpacing(8);
    status->addWidget(m_discoveryIcon);
    status->addWidget(m_discovery, 3);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(target);
    layout->addLayout(error);
    layout->addLayout(status);
    validateUrl();
    updateMarks();
}

void TargetBar::setEmbeddedUrl(const QString& url)
{
    m_embeddedUrl = url;
    m_url->setPlaceholderText(url.isEmpty() ? tr("URL (the embedded server is stopped)")
                                            : tr("%1 (embedded server)").arg(url));
    updateMarks();
}

QString TargetBar::effectiveUrl() const
{
    const QString typed = m_url->text().trimmed();
    return typed.isEmpty() ? m_embeddedUrl : typed;
}

Dialect TargetBar::dialect() const
{
    return dialectFromString(dialectName()).value_or(Dialect::JsonRpc2);
}

QString TargetBar::dialectName() const
{
    return m_dialect->currentData().toString();
}

QString TargetBar::targetKey(const QString& url)
{
    const auto endpoint = Endpoint::parse(url.trimmed());
    return endpoint ? endpoint->toString() : url.trimmed();
}

std::optional<Endpoint> TargetBar::endpoint(QString* error) const
{
    return endpointFor(effectiveUrl(), error);
}

std::optional<Endpoint> TargetBar::endpointFor(const QString& url, QString* error) const
{
    auto endpoint = Endpoint::parse(url, error);
    if (!endpoint)
        return std::nullopt;
    const auto it = m_targets.constFind(endpoint->toString());
    if (it != m_targets.cend()) {
        endpoint->options = it->options;
        endpoint->process.workingDirectory = it->workingDirectory;
        endpoint->process.environment = it->environment;
    }
    return endpoint;
}

QJsonArray TargetBar::init() const
{
    return initFor(effectiveUrl());
}

QJsonArray TargetBar::initFor(const QString& url) const
{
    return m_targets.value(targetKey(url)).init;
}

void TargetBar::setTargets(const QMap<QString, WorkspaceTarget>& targets)
{
    if (targets == m_targets)
        return;
    m_targets = targets;
    updateMarks();
    emit targetsChanged();
}

void TargetBar::editConnection()
{
    QString error;
    const auto current = endpoint(&error);
    if (!current) {
        validateUrl(); // the reason is on the error row
        return;
    }
    const bool saveSecrets = m_targets.value(current->toString()).saveSecrets;
    auto* dialog = new ConnectionSettingsDialog(*current, saveSecrets, this);
    dialog->setInit(m_targets.value(current->toString()).init);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const auto edited = dialog->endpoint();
        if (!edited)
            return;
        const QString key = edited->toString();
        // "Launch a process" turns the target into an exec: URL; a network target keeps its URL.
        if (edited->carrier == Carrier::Process && targetKey(effectiveUrl()) != key)
            m_url->setText(key);
        const WorkspaceTarget target = dialog->target();
        if (target == WorkspaceTarget{})
            m_targets.remove(key); // nothing set: the workspace stays as it was
        else
            m_targets.insert(key, target);
        updateMarks();
        emit targetsChanged();
        emit targetEdited();
        emit connectionSettingsEdited();
    });
    dialog->open();
}

void TargetBar::validateUrl()
{
    const QString typed = m_url->text().trimmed();
    QString error;
    const bool bad = !typed.isEmpty() && !Endpoint::parse(typed, &error);
    m_urlError->setFullText(bad ? tr("Invalid URL: %1").arg(error) : QString());
    m_urlError->setVisible(bad);
    m_urlErrorIcon->setVisible(bad);
}

void TargetBar::updateMarks()
{
    const WorkspaceTarget target = m_targets.value(targetKey(effectiveUrl()));
    m_insecureMark->setVisible(target.options.insecure);
    m_secretsMark->setVisible(target.options.hasSecrets());
    m_secretsMark->setToolTip(target.saveSecrets
                                  ? tr("This target sends credentials; they are saved in the workspace")
                                  : tr("This target sends credentials; they are kept for this session only"));
}

} // namespace rpcbench
