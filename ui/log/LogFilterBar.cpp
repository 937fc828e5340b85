#include "log/LogFilterBar.h"

#include "client/TabOrder.h"
#include "log/LogFilterModel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>

namespace rpcbench {

LogFilterBar::LogFilterBar(LogFilterModel* filter, QWidget* parent)
    : QWidget(parent), m_filter(filter), m_text(new QLineEdit(this)), m_method(new QComboBox(this)),
      m_errorsOnly(new QCheckBox(tr("Errors only"), this)), m_side(new QComboBox(this)),
      m_peer(new QLineEdit(this))
{
    m_text->setObjectName(QStringLiteral("logFilterEdit"));
    m_text->setPlaceholderText(tr("Filter (Ctrl+L): method, peer, id or payload text"));
    m_text->setClearButtonEnabled(true);
    m_method->setObjectName(QStringLiteral("logMethodFilter"));
    m_method->setEditable(true);
    m_method->setInsertPolicy(QComboBox::NoInsert);
    m_method->lineEdit()->setPlaceholderText(tr("any method"));
    m_method->setMinimumContentsLength(12);
    m_errorsOnly->setObjectName(QStringLiteral("logErrorsOnly"));
    m_side->setObjectName(QStringLiteral("logSideFilter"));
    m_side->addItem(tr("Both sides"));
    m_side->addItem(tr("Server"), int(Side::Server));
    m_side->addItem(tr("Client"), int(Side::Client));
    m_side->addItem(tr("Proxy"), int(Side::Proxy));
    m_peer->setObjectName(QStringLiteral("logPeerFilter"));
    m_peer->setPlaceholderText(tr("peer or #conn"));
    m_peer->setClearButtonEnabled(true);
    m_peer->setMaximumWidth(160);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(150);
    connect(&m_debounce, &QTimer::timeout, this, &LogFilterBar::apply);
    const auto later = [this] { m_debounce.start(); };
    connect(m_text, &QLineEdit::textChanged, this, later);
    connect(m_peer, &QLineEdit::textChanged, this, later);
    connect(m_method, &QComboBox::currentTextChanged, this, later);
    connect(m_errorsOnly, &QCheckBox::toggled, this, &LogFilterBar::apply);
    connect(m_side, &QComboBox::currentIndexChanged, this, &LogFilterBar::apply);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_text, 3);
    layout->addWidget(m_method, 1);
    layout->addWidget(m_side);
    layout->addWidget(m_peer, 1);
    layout->addWidget(m_errorsOnly);
    // Tab follows the fields as laid out, left to right.
    setTabChain({m_text, m_method, m_side, m_peer, m_errorsOnly});
}

QWidget* LogFilterBar::lastInTabOrder() const
{
    return m_errorsOnly;
}

void LogFilterBar::focusText()
{
    m_text->setFocus(Qt::ShortcutFocusReason);
    m_text->selectAll();
}

void LogFilterBar::setMethodNames(const QStringList& names)
{
    const QString current = m_method->currentText();
    QSignalBlocker block(m_method);
    m_method->clear();
    m_method->addItem(QString());
    m_method->addItems(names);
    m_method->setCurrentText(current);
}

void LogFilterBar::applyNow()
{
    m_debounce.stop();
    apply();
}

void LogFilterBar::apply()
{
    m_filter->setText(m_text->text().trimmed());
    m_filter->setMethod(m_method->currentText().trimmed());
    m_filter->setErrorsOnly(m_errorsOnly->isChecked());
    const QVariant side = m_side->currentData();
    m_filter->setSide(side.isValid() ? std::optional<Side>(Side(side.toInt())) : std::nullopt);
    m_filter->setPeer(m_peer->text().trimmed());
}

} // namespace rpcbench
