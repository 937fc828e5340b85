#pragma once
// Edits one method's FaultSettings: added latency (fixed, or jitter between two values), an
// error rate with the code and message to answer, drop / malformed JSON / wrong id, and a
// trickled reply. Pure editor: FaultDialog applies the settings to the running server.

#include "dispatch/FaultSettings.h"

#include <QWidget>

class QCheckBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace rpcbench {

class FaultEditorWidget : public QWidget
{
    Q_OBJECT
public:
    explicit FaultEditorWidget(QWidget* parent = nullptr);

    FaultSettings settings() const;
    void setSettings(const FaultSettings& settings);

signals:
    void changed();

private:
    QSpinBox* msSpin(const QString& name, const QString& tooltip);
    QCheckBox* check(const QString& name, const QString& text, const QString& tooltip);
    void updateEnabledStates();

    QCheckBox* m_enabled;
    QSpinBox* m_latencyMin;
    QSpinBox* m_latencyMax;
    QDoubleSpinBox* m_errorRate;
    QSpinBox* m_errorCode;
    QLineEdit* m_errorMessage;
    QCheckBox* m_drop;
    QCheckBox* m_malformed;
    QCheckBox* m_wrongId;
    QSpinBox* m_trickle;
};

} // namespace rpcbench
