#include "server/FaultEditorWidget.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

#include <limits>

namespace rpcbench {

FaultEditorWidget::FaultEditorWidget(QWidget* parent)
    : QWidget(parent), m_enabled(check(QStringLiteral("faultEnabledCheck"), tr("Faults on"),
                                       tr("Switch every fault below on or off without losing the settings"))),
      m_latencyMin(msSpin(QStringLiteral("latencyMinSpin"), tr("Added latency (or its lower bound)"))),
      m_latencyMax(msSpin(QStringLiteral("latencyMaxSpin"),
                          tr("Upper bound: each reply waits a random time between the two values"))),
      m_errorRate(new QDoubleSpinBox(this)), m_errorCode(new QSpinBox(this)),
      m_errorMessage(new QLineEdit(this)),
      m_drop(check(QStringLiteral("dropCheck"), tr("Drop the connection instead of replying"), {})),
      m_malformed(check(QStringLiteral("malformedCheck"), tr("Reply with malformed JSON"),
                        tr("The reply is cut after a member name, e.g. {\"jsonrpc\":\"2.0\",\"result\":}"))),
      m_wrongId(check(QStringLiteral("wrongIdCheck"), tr("Reply with a wrong id"),
                      tr("Numbers +1, strings get a \"-wrong\" suffix, null becomes 0"))),
      m_trickle(msSpin(QStringLiteral("trickleSpin"), tr("Write the reply in pieces spread over this time")))
{
    m_errorRate->setObjectName(QStringLiteral("errorRateSpin"));
    m_errorRate->setRange(0, 100);
    m_errorRate->setDecimals(1);
    m_errorRate->setSuffix(QStringLiteral(" %"));
    m_errorRate->setToolTip(tr("Share of calls answered with the error below instead of running the method"));
    m_errorCode->setObjectName(QStringLiteral("errorCodeSpin"));
    m_errorCode->setRange(std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
    m_errorMessage->setObjectName(QStringLiteral("errorMessageEdit"));

    auto* latency = new QHBoxLayout;
    latency->addWidget(m_latencyMin);
    latency->addWidget(new QLabel(tr("to"), this));
    latency->addWidget(m_latencyMax);
    auto* error = new QHBoxLayout;
    error->addWidget(m_errorRate);
    error->addWidget(new QLabel(tr("code"), this));
    error->addWidget(m_errorCode);
    error->addWidget(m_errorMessage, 1);

    auto* form = new QFormLayout(this);
    form->addRow(m_enabled);
    form->addRow(tr("Latency"), latency);
    form->addRow(tr("Errors"), error);
    form->addRow(m_drop);
    form->addRow(m_malformed);
    form->addRow(m_wrongId);
    form->addRow(tr("Trickle reply over"), m_trickle);

    for (QSpinBox* spin : {m_latencyMin, m_latencyMax, m_errorCode, m_trickle})
        connect(spin, &QSpinBox::valueChanged, this, &FaultEditorWidget::changed);
    connect(m_errorRate, &QDoubleSpinBox::valueChanged, this, &FaultEditorWidget::changed);
    connect(m_errorMessage, &QLineEdit::textChanged, this, &FaultEditorWidget::changed);
    // A jitter range never runs backwards: the upper bound follows the lower one.
    connect(m_latencyMin, &QSpinBox::valueChanged, this,
            [this](int v) { m_latencyMax->setValue(std::max(v, m_latencyMax->value())); });
    connect(this, &FaultEditorWidget::changed, this, &FaultEditorWidget::updateEnabledStates);
    setSettings(FaultSettings{});
}

QSpinBox* FaultEditorWidget::msSpin(const QString& name, const QString& tooltip)
{
    auto* spin = new QSpinBox(this);
    spin->setObjectName(name);
    spin->setRange(0, FaultSettings::maxDelayMs);
    spin->setSuffix(QStringLiteral(" ms"));
    spin->setToolTip(tooltip);
    return spin;
}

QCheckBox* FaultEditorWidget::check(const QString& name, const QString& text, const QString& tooltip)
{
    auto* box = new QCheckBox(text, this);
    box->setObjectName(name);
    box->setToolTip(tooltip);
    connect(box, &QCheckBox::toggled, this, &FaultEditorWidget::changed);
    return box;
}

void FaultEditorWidget::updateEnabledStates()
{
    const bool errors = m_errorRate->value() > 0;
    m_errorCode->setEnabled(errors);
    m_errorMessage->setEnabled(errors);
}

FaultSettings FaultEditorWidget::settings() const
{
    FaultSettings f;
    f.enabled = m_enabled->isChecked();
    f.latencyMinMs = m_latencyMin->value();
    f.latencyMaxMs = std::max(m_latencyMin->value(), m_latencyMax->value());
    f.errorRatePercent = m_errorRate->value();
    f.errorCode = m_errorCode->value();
    f.errorMessage = m_errorMessage->text();
    f.dropConnection = m_drop->isChecked();
    f.malformedJson = m_malformed->isChecked();
    f.wrongId = m_wrongId->isChecked();
    f.trickleMs = m_trickle->value();
    return f;
}

void FaultEditorWidget::setSettings(const FaultSettings& f)
{
    const QSignalBlocker block(this);
    m_enabled->setChecked(f.enabled);
    m_latencyMin->setValue(f.latencyMinMs);
    m_latencyMax->setValue(f.latencyMaxMs);
    m_errorRate->setValue(f.errorRatePercent);
    m_errorCode->setValue(f.errorCode);
    m_errorMessage->setText(f.errorMessage);
    m_drop->setChecked(f.dropConnection);
    m_malformed->setChecked(f.malformedJson);
    m_wrongId->setChecked(f.wrongId);
    m_trickle->setValue(f.trickleMs);
    updateEnabledStates();
}

} // namespace rpcbench
