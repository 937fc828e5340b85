#include "widgets/NumberSpinBox.h"

#include <QLineEdit>

#include <cmath>
#include <limits>

namespace rpcbench {

NumberSpinBox::NumberSpinBox(bool integerOnly, QWidget* parent)
    : QAbstractSpinBox(parent), m_integerOnly(integerOnly)
{
    setAccelerated(true);
    setCorrectionMode(QAbstractSpinBox::CorrectToPreviousValue);
    setKeyboardTracking(true);
    connect(lineEdit(), &QLineEdit::textChanged, this, &NumberSpinBox::textChanged);
}

QString NumberSpinBox::text() const
{
    return lineEdit()->text();
}

void NumberSpinBox::setText(const QString& text)
{
    lineEdit()->setText(text);
}

void NumberSpinBox::setPlaceholderText(const QString& text)
{
    lineEdit()->setPlaceholderText(text);
}

std::optional<QJsonValue> NumberSpinBox::value() const
{
    const QString t = text().trimmed();
    if (t.isEmpty())
        return std::nullopt;
    bool ok = false;
    const qint64 i = t.toLongLong(&ok);
    if (ok)
        return QJsonValue(i);
    const double d = t.toDouble(&ok); // C locale, like JSON
    if (!ok || !std::isfinite(d))
        return std::nullopt;
    if (!m_integerOnly)
        return QJsonValue(d);
    // Integers accept 3.0 (JSON Schema does) but not 3.5 or values beyond 64 bits.
    if (d != std::floor(d) || std::fabs(d) >= 9.2e18)
        return std::nullopt;
    return QJsonValue(qint64(d));
}

QString NumberSpinBox::error() const
{
    if (text().trimmed().isEmpty() || value())
        return {};
    return m_integerOnly ? tr("expected an integer") : tr("expected a number");
}

void NumberSpinBox::stepBy(int steps)
{
    const QString t = text().trimmed();
    const std::optional<QJsonValue> current =
        t.isEmpty() ? std::optional<QJsonValue>(QJsonValue(0)) : value();
    if (!current)
        return;
    const bool isInteger = current->toDouble() == std::floor(current->toDouble()) &&
                           !t.contains(QLatin1Char('.')) &&
                           !t.contains(QLatin1Char('e'), Qt::CaseInsensitive);
    if (isInteger) {
        const qint64 v = current->toInteger(qint64(current->toDouble()));
        qint64 next = 0;
        if (__builtin_add_overflow(v, qint64(steps), &next))
            return;
        setText(QString::number(next));
    } else {
        setText(QString::number(current->toDouble() + steps, 'g', 15));
    }
    selectAll();
}

QValidator::State NumberSpinBox::validate(QString&, int&) const
{
    // Everything may be typed; the form flags what is not a number.
    return QValidator::Acceptable;
}

QAbstractSpinBox::StepEnabled NumberSpinBox::stepEnabled() const
{
    if (isReadOnly() || (!text().trimmed().isEmpty() && !value()))
        return StepNone;
    return StepUpEnabled | StepDownEnabled;
}

} // namespace rpcbench
