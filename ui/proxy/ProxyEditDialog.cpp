#include "proxy/ProxyEditDialog.h"

#include "server/ListenSpec.h"
#include "widgets/Palette.h"
#include "wire/Endpoint.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace rpcbench {

namespace {

enum RuleColumn { PatternColumn, DirectionColumn, EnabledColumn };

QComboBox* directionCombo(InterceptRule::Direction direction, QWidget* parent)
{
    auto* combo = new QComboBox(parent);
    combo->addItem(QObject::tr("to server"), int(InterceptRule::Direction::ToServer));
    combo->addItem(QObject::tr("to client"), int(InterceptRule::Direction::ToClient));
    combo->addItem(QObject::tr("both"), int(InterceptRule::Direction::Both));
    combo->setCurrentIndex(combo->findData(int(direction)));
    return combo;
}

} // namespace

ProxyEditDialog::ProxyEditDialog(const ProxyConfig& config, QWidget* parent)
    : QDialog(parent), m_original(config), m_listen(new QLineEdit(config.listen, this)),
      m_upstream(new QLineEdit(config.upstream, this)), m_rules(new QTableWidget(0, 3, this)),
      m_timeout(new QSpinBox(this)), m_error(new QLabel(this))
{
    setObjectName(QStringLiteral("proxyEditDialog"));
    setWindowTitle(config.listen.isEmpty() ? tr("Add proxy") : tr("Edit proxy"));
    m_listen->setObjectName(QStringLiteral("proxyListenEdit"));
    m_listen->setPlaceholderText(QStringLiteral("tcp://127.0.0.1:9001"));
    m_listen->setToolTip(tr("Where your client connects: tcp://, http://, ws://, unix:/path, …"));
    m_upstream->setObjectName(QStringLiteral("proxyUpstreamEdit"));
    m_upstream->setPlaceholderText(QStringLiteral("tcp://127.0.0.1:9000"));
    m_upstream->setToolTip(tr("Your server: tcp://, https://, wss://, unix:/path, exec:command, …"));
    m_rules->setObjectName(QStringLiteral("interceptRulesTable"));
    m_rules->setHorizontalHeaderLabels({tr("Method pattern"), tr("Direction"), tr("On")});
    m_rules->horizontalHeader()->setSectionResizeMode(PatternColumn, QHeaderView::Stretch);
    m_rules->horizontalHeader()->setSectionResizeMode(DirectionColumn, QHeaderView::ResizeToContents);
    m_rules->horizontalHeader()->setSectionResizeMode(EnabledColumn, QHeaderView::ResizeToContents);
    m_rules->verticalHeader()->hide();
    m_rules->setWordWrap(false);
    m_rules->setToolTip(tr("Messages whose method matches a pattern (\"textDocument/*\", \"eth_*\", \"*\") "
                           "wait in the Intercept panel"));
    for (const InterceptRule& rule : config.intercept)
        addRule(rule);
    m_timeout->setObjectName(QStringLiteral("interceptTimeoutSpin"));
    m_timeout->setRange(1, 3600);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setValue(std::max(1, config.interceptTimeoutMs / 1000));
    m_timeout->setToolTip(tr("A paused message nobody acts on is forwarded unchanged after this long"));
    m_error->setObjectName(QStringLiteral("proxyEditError"));
    m_error->setWordWrap(true);
    Palette::setErrorText(m_error);
    m_error->hide();

    auto* form = new QFormLayout;
    form->addRow(tr("&Listen on"), m_listen);
    form->addRow(tr("&Upstream"), m_upstream);
    form->addRow(tr("&Breakpoints"), m_rules);
    form->addRow(QString(), makeRuleButtons());
    form->addRow(tr("Intercept &timeout"), m_timeout);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &ProxyEditDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    // Room for a URL with a path and a pattern next to its direction.
    setMinimumWidth(fontMetrics().horizontalAdvance(QLatin1Char('x')) * 70);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    // A fixed error goes away as soon as the field is edited.
    for (QLineEdit* edit : {m_listen, m_upstream})
        connect(edit, &QLineEdit::textEdited, m_error, &QLabel::hide);
}

QWidget* ProxyEditDialog::makeRuleButtons()
{
    auto* row = new QWidget(this);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* add = new QPushButton(tr("Add breakpoint"), row);
    add->setObjectName(QStringLiteral("addRuleButton"));
    auto* remove = new QPushButton(tr("Remove breakpoint"), row);
    remove->setObjectName(QStringLiteral("removeRuleButton"));
    connect(add, &QPushButton::clicked, this, [this] {
        addRule(InterceptRule{});
        m_rules->editItem(m_rules->item(m_rules->rowCount() - 1, PatternColumn));
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_rules->currentRow() >= 0)
            m_rules->removeRow(m_rules->currentRow());
    });
    layout->addWidget(add);
    layout->addWidget(remove);
    layout->addStretch();
    return row;
}

void ProxyEditDialog::addRule(const InterceptRule& rule)
{
    const int row = m_rules->rowCount();
    m_rules->insertRow(row);
    m_rules->setItem(row, PatternColumn, new QTableWidgetItem(rule.pattern));
    m_rules->setCellWidget(row, DirectionColumn, directionCombo(rule.direction, m_rules));
    auto* enabled = new QTableWidgetItem;
    enabled->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    enabled->setCheckState(rule.enabled ? Qt::Checked : Qt::Unchecked);
    m_rules->setItem(row, EnabledColumn, enabled);
}

ProxyConfig ProxyEditDialog::config() const
{
    ProxyConfig config = m_original;
    config.listen = m_listen->text().trimmed();
    config.upstream = m_upstream->text().trimmed();
    config.intercept.clear();
    for (int row = 0; row < m_rules->rowCount(); ++row) {
        InterceptRule rule;
        rule.pattern = m_rules->item(row, PatternColumn)->text().trimmed();
        const auto* combo = qobject_cast<QComboBox*>(m_rules->cellWidget(row, DirectionColumn));
        rule.direction = InterceptRule::Direction(combo->currentData().toInt());
        rule.enabled = m_rules->item(row, EnabledColumn)->checkState() == Qt::Checked;
        config.intercept << rule;
    }
    config.interceptTimeoutMs = m_timeout->value() * 1000;
    return config;
}

QString ProxyEditDialog::validate() const
{
    const ProxyConfig entered = config();
    QString problem;
    if (entered.listen.isEmpty())
        return tr("Listen on: enter a URL, e.g. tcp://127.0.0.1:9001");
    if (!ListenSpec::parse(entered.listen, &problem))
        return tr("Listen on %1: %2").arg(entered.listen, problem);
    if (entered.upstream.isEmpty())
        return tr("Upstream: enter your server's URL, e.g. tcp://127.0.0.1:9000");
    if (!Endpoint::parse(entered.upstream, &problem))
        return tr("Upstream %1: %2").arg(entered.upstream, problem);
    for (qsizetype i = 0; i < entered.intercept.size(); ++i) {
        if (entered.intercept[i].pattern.isEmpty())
            return tr("Breakpoint %1: enter a method name or pattern (\"*\" for all)").arg(i + 1);
    }
    return {};
}

QString ProxyEditDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void ProxyEditDialog::accept()
{
    const QString problem = validate();
    if (!problem.isEmpty()) {
        m_error->setText(problem);
        m_error->show();
        return;
    }
    m_error->hide();
    QDialog::accept();
}

} // namespace rpcbench
