#include "wire/ByteChannel.h"

#include <algorithm>

namespace rpcbench {

QByteArray ByteChannel::readAll()
{
    QByteArray out(bytesAvailable(), Qt::Uninitialized);
    const qint64 n = out.isEmpty() ? 0 : read(out.data(), out.size());
    out.truncate(std::max<qint64>(0, n));
    return out;
}

} // namespace rpcbench
