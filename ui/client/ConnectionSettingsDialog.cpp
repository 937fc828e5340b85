#include "client/ConnectionSettingsDialog.h"

#include "client/HandshakeEditor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace rpcbench {

namespace {

enum HeaderColumn { NameColumn, ValueColumn, ShowColumn };

// A checkable "Show" button that unmasks `edit` while it is down.
QToolButton* showToggle(QLineEdit* edit, QWidget* parent)
{
    auto* show = new QToolButton(parent);
    show->setText(QObject::tr("Show"));
    show->setCheckable(true);
    show->setToolTip(QObject::tr("Show the secret while this is pressed down"));
    QObject::connect(show, &QToolButton::toggled, edit,
                     [edit](bool on) { edit->setEchoMode(on ? QLineEdit::Normal : QLineEdit::Password); });
    return show;
}

// A secret field: masked, with its Show toggle beside it.
QWidget* secretRow(QLineEdit* edit, const QString& name, QWidget* parent)
{
    edit->setObjectName(name);
    edit->setEchoMode(QLineEdit::Password);
    auto* row = new QWidget(parent);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    QToolButton* show = showToggle(edit, row);
    show->setObjectName(name + QStringLiteral("Show"));
    layout->addWidget(show);
    return row;
}

// A path field with a "…" button opening a file (or directory) picker.
QWidget* pathRow(QLineEdit* edit, const QString& name, bool directory, QWidget* parent)
{
    edit->setObjectName(name);
    edit->setClearButtonEnabled(true);
    auto* row = new QWidget(parent);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    auto* pick = new QToolButton(row);
    pick->setText(QStringLiteral("…"));
    pick->setToolTip(directory ? QObject::tr("Choose a directory") : QObject::tr("Choose a file"));
    layout->addWidget(pick);
    QObject::connect(pick, &QToolButton::clicked, edit, [edit, directory] {
        const QString path = directory
                                 ? QFileDialog::getExistingDirectory(edit->window(), QString(), edit->text())
                                 : QFileDialog::getOpenFileName(edit->window(), QString(), edit->text());
        if (!path.isEmpty())
            edit->setText(path);
    });
    return row;
}

// The KiB shown for a byte limit, rounded up and within the field's range.
int kibFor(qint64 bytes, int maximum)
{
    return int(qBound<qint64>(1, (bytes + 1023) / 1024, qint64(maximum)));
}

QStringList nonEmptyLines(const QPlainTextEdit* edit)
{
    QStringList lines;
    for (const QString& line : edit->toPlainText().split(QLatin1Char('\n')))
        if (!line.trimmed().isEmpty())
            lines << line.trimmed();
    return lines;
}

} // namespace

ConnectionSettingsDialog::ConnectionSettingsDialog(const Endpoint& endpoint, bool saveSecrets,
                                                   QWidget* parent)
    : QDialog(parent), m_base(endpoint), m_tabs(new QTabWidget(this)), m_handshake(new HandshakeEditor(this)),
      m_problem(new QLabel(this))
{
    setObjectName(QStringLiteral("connectionSettingsDialog"));
    setWindowTitle(tr("Connection settings — %1").arg(endpoint.toString()));
    m_tabs->setObjectName(QStringLiteral("connectionTabs"));
    m_tabs->addTab(buildHttpPage(), tr("Headers && auth"));
    m_tabs->addTab(buildTlsPage(), tr("TLS"));
    m_tabs->addTab(buildProcessPage(), tr("Launch a process"));
    m_handshake->setObjectName(QStringLiteral("handshakeEditor"));
    m_tabs->addTab(m_handshake, tr("Handshake"));
    m_problem->setObjectName(QStringLiteral("connectionProblem"));
    m_problem->setWordWrap(true);
    m_problem->hide();
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &ConnectionSettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    connect(m_handshake, &HandshakeEditor::validityChanged, m_ok, &QPushButton::setEnabled);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(buildGeneralBox());
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
    load(endpoint, saveSecrets);
    resize(qMax(560, sizeHint().width()), sizeHint().height()); // room for the title and long paths
}

QWidget* ConnectionSettingsDialog::buildHttpPage()
{
    auto* page = new QWidget(this);
    m_headers = new QTableWidget(0, 3, page);
    m_headers->setObjectName(QStringLiteral("headersTable"));
    m_headers->setHorizontalHeaderLabels({tr("Name"), tr("Value"), QString()});
    m_headers->horizontalHeader()->setSectionResizeMode(NameColumn, QHeaderView::Interactive);
    m_headers->horizontalHeader()->setSectionResizeMode(ValueColumn, QHeaderView::Stretch);
    m_headers->horizontalHeader()->setSectionResizeMode(ShowColumn, QHeaderView::ResizeToContents);
    m_headers->setColumnWidth(NameColumn, 160);
    m_headers->verticalHeader()->hide();
    m_headers->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_headers->setToolTip(tr("Sent with every HTTP request, the SSE stream and the WebSocket handshake; "
                             "never overwritten by rpcbench's own headers"));
    auto* add = new QPushButton(tr("Add header"), page);
    add->setObjectName(QStringLiteral("addHeaderButton"));
    auto* remove = new QPushButton(tr("Remove header"), page);
    remove->setObjectName(QStringLiteral("removeHeaderButton"));
    connect(add, &QPushButton::clicked, this, [this] {
        addHeader(QString(), QString());
        if (auto* name = qobject_cast<QLineEdit*>(m_headers->cellWidget(headerCount() - 1, NameColumn)))
            name->setFocus();
    });
    connect(remove, &QPushButton::clicked, this, &ConnectionSettingsDialog::removeSelectedHeader);
    auto* headerButtons = new QHBoxLayout;
    headerButtons->addWidget(add);
    headerButtons->addWidget(remove);
    headerButtons->addStretch(1);

    m_token = new QLineEdit(page);
    m_user = new QLineEdit(page);
    m_user->setObjectName(QStringLiteral("userEdit"));
    m_password = new QLineEdit(page);
    auto* auth = new QFormLayout;
    auth->addRow(tr("Bearer token"), secretRow(m_token, QStringLiteral("bearerTokenEdit"), page));
    auth->addRow(tr("User"), m_user);
    auth->addRow(tr("Password"), secretRow(m_password, QStringLiteral("passwordEdit"), page));
    auto* note =
        new QLabel(tr("A token or a user adds an Authorization header, unless you set one above."), page);
    note->setWordWrap(true);

    auto* layout = new QVBoxLayout(page);
    layout->addWidget(m_headers, 1);
    layout->addLayout(headerButtons);
    layout->addLayout(auth);
    layout->addWidget(note);
    return page;
}

QWidget* ConnectionSettingsDialog::buildTlsPage()
{
    auto* page = new QWidget(this);
    m_caFiles = new QPlainTextEdit(page);
    m_caFiles->setObjectName(QStringLiteral("caFilesEdit"));
    m_caFiles->setPlaceholderText(tr("One PEM file per line, trusted besides the system's CAs"));
    auto* addCa = new QPushButton(tr("Add CA file…"), page);
    connect(addCa, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("CA certificate"), QString(),
                                                          tr("PEM files (*.pem *.crt);;All files (*)"));
        if (!path.isEmpty())
            m_caFiles->appendPlainText(path);
    });
    m_insecure = new QCheckBox(tr("Do not verify certificates (insecure)"), page);
    m_insecure->setObjectName(QStringLiteral("insecureCheck"));
    m_insecure->setToolTip(tr("Accepts any certificate: anyone on the way can read and change the traffic"));
    m_clientCert = new QLineEdit(page);
    m_clientKey = new QLineEdit(page);
    auto* form = new QFormLayout;
    form->addRow(tr("CA files"), m_caFiles);
    form->addRow(QString(), addCa);
    form->addRow(QString(), m_insecure);
    form->addRow(tr("Client certificate"),
                 pathRow(m_clientCert, QStringLiteral("clientCertEdit"), false, page));
    form->addRow(tr("Client key"), pathRow(m_clientKey, QStringLiteral("clientKeyEdit"), false, page));
    auto* layout = new QVBoxLayout(page);
    layout->addLayout(form);
    layout->addStretch(1);
    return page;
}

QWidget* ConnectionSettingsDialog::buildProcessPage()
{
    auto* page = new QWidget(this);
    m_process = new QGroupBox(tr("Launch a process instead of connecting to the URL"), page);
    m_process->setObjectName(QStringLiteral("processBox"));
    m_process->setCheckable(true);
    m_process->setToolTip(tr("JSON-RPC on the child's stdin/stdout (language servers, MCP servers); "
                             "its stderr goes to the traffic log"));
    m_command = new QLineEdit(m_process);
    m_command->setObjectName(QStringLiteral("commandEdit"));
    m_command->setPlaceholderText(tr("e.g. clangd --log=error"));
    m_framing = new QComboBox(m_process);
    m_framing->setObjectName(QStringLiteral("framingCombo"));
    m_framing->addItem(tr("LSP: Content-Length headers"), int(Transport::Lsp));
    m_framing->addItem(tr("One JSON message per line (MCP)"), int(Transport::JsonStream));
    m_workingDir = new QLineEdit(m_process);
    m_environment = new QPlainTextEdit(m_process);
    m_environment->setObjectName(QStringLiteral("environmentEdit"));
    m_environment->setPlaceholderText(tr("NAME=value, one per line"));
    auto* form = new QFormLayout(m_process);
    form->addRow(tr("Command line"), m_command);
    form->addRow(tr("Framing"), m_framing);
    form->addRow(tr("Working directory"),
                 pathRow(m_workingDir, QStringLiteral("workingDirEdit"), true, m_process));
    form->addRow(tr("Environment"), m_environment);
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(m_process);
    layout->addStretch(1);
    return page;
}

QWidget* ConnectionSettingsDialog::buildGeneralBox()
{
    auto* box = new QWidget(this);
    m_sse = new QCheckBox(tr("MCP: open the server's event stream (SSE)"), box);
    m_sse->setObjectName(QStringLiteral("sseCheck"));
    m_maxReplyKiB = new QSpinBox(box);
    m_maxReplyKiB->setObjectName(QStringLiteral("maxReplySpin"));
    m_maxReplyKiB->setRange(1, 4 * 1024 * 1024); // 4 GiB
    m_maxReplyKiB->setSuffix(tr(" KiB"));
    m_maxReplyKiB->setToolTip(tr("A bigger reply fails the call instead of filling the memory"));
    m_saveSecrets = new QCheckBox(tr("Save secrets in the workspace"), box);
    m_saveSecrets->setObjectName(QStringLiteral("saveSecretsCheck"));
    auto* note = new QLabel(tr("Off: the token, the password and secret-looking header values are kept "
                               "for this session only and left out of the workspace file."),
                            box);
    note->setWordWrap(true);
    auto* form = new QFormLayout(box);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(QString(), m_sse);
    form->addRow(tr("Maximum reply size"), m_maxReplyKiB);
    form->addRow(QString(), m_saveSecrets);
    form->addRow(QString(), note);
    return box;
}

void ConnectionSettingsDialog::load(const Endpoint& endpoint, bool saveSecrets)
{
    const ConnectOptions& o = endpoint.options;
    for (const auto& h : o.headers)
        addHeader(QString::fromLatin1(h.first), QString::fromUtf8(h.second));
    m_token->setText(o.bearerToken);
    m_user->setText(o.basicUser.section(QLatin1Char(':'), 0, 0));
    m_password->setText(o.basicUser.section(QLatin1Char(':'), 1));
    m_caFiles->setPlainText(o.caCertificates.join(QLatin1Char('\n')));
    m_insecure->setChecked(o.insecure);
    m_clientCert->setText(o.clientCertificate);
    m_clientKey->setText(o.clientKey);
    m_sse->setChecked(o.sse);
    m_initialMaxReply = o.maxReplyBytes;
    m_maxReplyKiB->setValue(kibFor(o.maxReplyBytes, m_maxReplyKiB->maximum()));
    m_saveSecrets->setChecked(saveSecrets);
    const bool process = endpoint.carrier == Carrier::Process;
    m_process->setChecked(process);
    if (process) {
        m_command->setText(endpoint.process.commandLine());
        m_framing->setCurrentIndex(m_framing->findData(int(endpoint.transport)));
        m_workingDir->setText(endpoint.process.workingDirectory);
        m_environment->setPlainText(endpoint.process.environment.join(QLatin1Char('\n')));
        m_tabs->setCurrentIndex(m_tabs->count() - 1);
    }
}

int ConnectionSettingsDialog::headerCount() const
{
    return m_headers->rowCount();
}

void ConnectionSettingsDialog::addHeader(const QString& name, const QString& value)
{
    const int row = m_headers->rowCount();
    m_headers->insertRow(row);
    auto* nameEdit = new QLineEdit(name, m_headers);
    nameEdit->setFrame(false);
    nameEdit->setPlaceholderText(tr("Name"));
    auto* valueEdit = new QLineEdit(value, m_headers);
    valueEdit->setFrame(false);
    QToolButton* show = showToggle(valueEdit, m_headers);
    // Masked while the name looks secret (Authorization, X-Api-Key, ...) and Show is up.
    const auto mask = [nameEdit, valueEdit, show] {
        const bool secret = ConnectOptions::isSecretHeader(nameEdit->text().trimmed().toLatin1());
        show->setEnabled(secret);
        valueEdit->setEchoMode(secret && !show->isChecked() ? QLineEdit::Password : QLineEdit::Normal);
    };
    connect(nameEdit, &QLineEdit::textChanged, valueEdit, mask);
    mask();
    m_headers->setCellWidget(row, NameColumn, nameEdit);
    m_headers->setCellWidget(row, ValueColumn, valueEdit);
    m_headers->setCellWidget(row, ShowColumn, show);
}

QLineEdit* ConnectionSettingsDialog::headerValueEdit(int row) const
{
    return qobject_cast<QLineEdit*>(m_headers->cellWidget(row, ValueColumn));
}

QToolButton* ConnectionSettingsDialog::headerShowButton(int row) const
{
    return qobject_cast<QToolButton*>(m_headers->cellWidget(row, ShowColumn));
}

void ConnectionSettingsDialog::removeSelectedHeader()
{
    int row = m_headers->currentRow();
    for (int r = 0; r < m_headers->rowCount() && row < 0; ++r) // the row whose field has focus
        for (int c = NameColumn; c <= ShowColumn; ++c)
            if (m_headers->cellWidget(r, c) && m_headers->cellWidget(r, c)->hasFocus())
                row = r;
    if (row < 0)
        row = m_headers->rowCount() - 1;
    if (row >= 0)
        m_headers->removeRow(row);
}

std::optional<HttpHeaderList> ConnectionSettingsDialog::headers(QString* error) const
{
    HttpHeaderList list;
    for (int row = 0; row < m_headers->rowCount(); ++row) {
        const QString name =
            qobject_cast<QLineEdit*>(m_headers->cellWidget(row, NameColumn))->text().trimmed();
        const QString value = headerValueEdit(row)->text();
        if (name.isEmpty() && value.trimmed().isEmpty())
            continue; // an added row left empty
        QPair<QByteArray, QByteArray> header;
        if (!ConnectOptions::parseHeader(name + QLatin1String(": ") + value, &header, error))
            return std::nullopt;
        list.append(header);
    }
    return list;
}

std::optional<Endpoint> ConnectionSettingsDialog::endpoint(QString* error) const
{
    QString problem;
    Endpoint e = m_base;
    if (m_process->isChecked()) {
        const auto framing = Transport(m_framing->currentData().toInt());
        auto launched = Endpoint::forCommand(m_command->text().trimmed(), framing, &problem);
        if (!launched) {
            if (error)
                *error = tr("Launch a process: %1").arg(problem);
            return std::nullopt;
        }
        e = *launched;
        e.process.workingDirectory = m_workingDir->text().trimmed();
        e.process.environment = nonEmptyLines(m_environment);
    } else if (e.carrier == Carrier::Process) {
        if (error)
            *error = tr("Type the URL to connect to in the target bar, or launch a process.");
        return std::nullopt;
    }
    const auto headerList = headers(&problem);
    if (!headerList) {
        if (error)
            *error = tr("Headers: %1").arg(problem);
        return std::nullopt;
    }
    ConnectOptions& o = e.options;
    o = ConnectOptions{};
    o.headers = *headerList;
    o.bearerToken = m_token->text().trimmed();
    const QString user = m_user->text().trimmed();
    o.basicUser = user.isEmpty() ? QString() : user + QLatin1Char(':') + m_password->text();
    o.caCertificates = nonEmptyLines(m_caFiles);
    o.insecure = m_insecure->isChecked();
    o.clientCertificate = m_clientCert->text().trimmed();
    o.clientKey = m_clientKey->text().trimmed();
    o.sse = m_sse->isChecked();
    const bool maxUnchanged = m_maxReplyKiB->value() == kibFor(m_initialMaxReply, m_maxReplyKiB->maximum());
    o.maxReplyBytes = maxUnchanged ? m_initialMaxReply : qint64(m_maxReplyKiB->value()) * 1024;
    return e;
}

WorkspaceTarget ConnectionSettingsDialog::target() const
{
    WorkspaceTarget t;
    if (const auto e = endpoint()) {
        t.options = e->options;
        t.workingDirectory = e->process.workingDirectory;
        t.environment = e->process.environment;
    }
    t.saveSecrets = saveSecrets();
    t.init = m_handshake->init().value_or(QJsonArray{});
    return t;
}

void ConnectionSettingsDialog::setInit(const QJsonArray& init)
{
    m_handshake->setInit(init);
}

bool ConnectionSettingsDialog::saveSecrets() const
{
    return m_saveSecrets->isChecked();
}

void ConnectionSettingsDialog::accept()
{
    QString error;
    if (!endpoint(&error) || !m_handshake->init(&error)) {
        m_problem->setText(error);
        m_problem->show();
        return;
    }
    QDialog::accept();
}

} // namespace rpcbench
