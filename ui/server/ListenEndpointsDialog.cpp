#include "server/ListenEndpointsDialog.h"

#include "server/ListenEndpoints.h"
#include "server/ListenSpec.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace rpcbench {

namespace {

QWidget* fileRow(QLineEdit* edit, const QString& name, const QString& title, QWidget* parent)
{
    edit->setObjectName(name);
    auto* row = new QWidget(parent);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    auto* pick = new QToolButton(row);
    pick->setText(QStringLiteral("…"));
    pick->setToolTip(QObject::tr("Choose a file"));
    layout->addWidget(pick);
    QObject::connect(pick, &QToolButton::clicked, edit, [edit, title] {
        const QString path = QFileDialog::getOpenFileName(
            edit->window(), title, edit->text(), QObject::tr("PEM files (*.pem *.crt *.key);;All files (*)"));
        if (!path.isEmpty())
            edit->setText(path);
    });
    return row;
}

} // namespace

ListenEndpointsDialog::ListenEndpointsDialog(ListenEndpoints* endpoints, QWidget* parent)
    : QDialog(parent), m_endpoints(endpoints), m_list(new QListWidget(this)), m_url(new QLineEdit(this)),
      m_certificate(new QLineEdit(this)), m_key(new QLineEdit(this)), m_add(new QPushButton(tr("Add"), this)),
      m_remove(new QPushButton(tr("Remove"), this)), m_problem(new QLabel(this))
{
    setObjectName(QStringLiteral("listenEndpointsDialog"));
    setWindowTitle(tr("Listen on"));
    m_list->setObjectName(QStringLiteral("listenList"));
    m_url->setObjectName(QStringLiteral("listenUrlEdit"));
    m_url->setPlaceholderText(tr("unix:/tmp/rpcbench.sock, tcp://127.0.0.1:5001, https://127.0.0.1:8443"));
    m_url->setToolTip(tr("tcp://, http://, ws:// (sniffed), tcp+lsp://, https://, tcp+tls://, wss://, "
                         "unix:/path or unix+lsp:/path; port 0 picks a free port"));
    m_add->setObjectName(QStringLiteral("listenAddButton"));
    m_remove->setObjectName(QStringLiteral("listenRemoveButton"));
    m_problem->setObjectName(QStringLiteral("listenProblem"));
    m_problem->setWordWrap(true);
    m_problem->hide();

    auto* note = new QLabel(tr("Besides the port and address in the toolbar. Kept in the workspace and "
                               "opened whenever the server starts."),
                            this);
    note->setWordWrap(true);
    auto* form = new QFormLayout;
    form->addRow(tr("URL"), m_url);
    form->addRow(tr("TLS certificate"),
                 fileRow(m_certificate, QStringLiteral("listenCertEdit"), tr("TLS certificate"), this));
    form->addRow(tr("TLS key"), fileRow(m_key, QStringLiteral("listenKeyEdit"), tr("TLS key"), this));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addStretch(1);
    auto* close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(note);
    layout->addWidget(m_list, 1);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_problem);
    layout->addWidget(close);

    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_add, &QPushButton::clicked, this, &ListenEndpointsDialog::addEndpoint);
    connect(m_url, &QLineEdit::returnPressed, this, &ListenEndpointsDialog::addEndpoint);
    connect(m_remove, &QPushButton::clicked, this, &ListenEndpointsDialog::removeSelected);
    connect(m_url, &QLineEdit::textChanged, this, &ListenEndpointsDialog::updateTlsFields);
    connect(m_list, &QListWidget::currentRowChanged, this,
            [this](int row) { m_remove->setEnabled(row >= 0); });
    connect(m_endpoints, &ListenEndpoints::changed, this, &ListenEndpointsDialog::refresh);
    refresh();
    updateTlsFields();
    resize(520, 360);
}

bool ListenEndpointsDialog::addEndpoint()
{
    QString error;
    const WorkspaceListener listener{m_url->text().trimmed(), m_certificate->text().trimmed(),
                                     m_key->text().trimmed()};
    if (!m_endpoints->add(listener, &error)) {
        m_problem->setText(error);
        m_problem->show();
        return false;
    }
    m_problem->hide();
    m_url->clear();
    m_list->setCurrentRow(m_list->count() - 1);
    return true;
}

void ListenEndpointsDialog::removeSelected()
{
    m_endpoints->remove(m_list->currentRow());
}

void ListenEndpointsDialog::refresh()
{
    const int row = m_list->currentRow();
    m_list->clear();
    const QList<WorkspaceListener> listeners = m_endpoints->listeners();
    for (int i = 0; i < listeners.size(); ++i) {
        const QString bound = m_endpoints->boundUrl(i);
        // Where it listens now; the configured URL too when they differ (port 0).
        QString text =
            bound.isEmpty() ? tr("%1 (opened when the server starts)").arg(listeners.at(i).url) : bound;
        if (!bound.isEmpty() && bound != listeners.at(i).url)
            text += tr(" (%1)").arg(listeners.at(i).url);
        m_list->addItem(text);
    }
    m_list->setCurrentRow(qMin(row, m_list->count() - 1));
    m_remove->setEnabled(m_list->currentRow() >= 0);
}

void ListenEndpointsDialog::updateTlsFields()
{
    const auto spec = ListenSpec::parse(m_url->text().trimmed());
    const bool tls = spec && spec->isTls();
    m_certificate->setEnabled(tls);
    m_key->setEnabled(tls);
}

} // namespace rpcbench
