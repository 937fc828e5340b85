// Build-time tool: renders the application's SVG icon to the PNG sizes of the hicolor theme
// (some menus, docks and software centres still want bitmaps). Debian 12 has no SVG
// rasteriser in the build dependencies, but Qt Svg is one already.
//   rpcbench-iconpng ICON.svg OUTDIR NAME SIZE... -> OUTDIR/<SIZE>x<SIZE>/apps/NAME.png

#include <QDir>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>

#include <cstdio>

namespace {

bool renderPng(QSvgRenderer& svg, int size, const QString& path)
{
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    svg.render(&painter);
    painter.end();
    return QDir().mkpath(QFileInfo(path).path()) && image.save(path, "PNG");
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 5) {
        std::fputs("usage: rpcbench-iconpng ICON.svg OUTDIR NAME SIZE...\n", stderr);
        return 64;
    }
    QSvgRenderer svg(QString::fromLocal8Bit(argv[1]));
    if (!svg.isValid()) {
        std::fprintf(stderr, "rpcbench-iconpng: cannot read SVG '%s'\n", argv[1]);
        return 1;
    }
    const QDir out(QString::fromLocal8Bit(argv[2]));
    const QString name = QString::fromLocal8Bit(argv[3]);
    for (int i = 4; i < argc; ++i) {
        bool ok = false;
        const int size = QByteArray(argv[i]).toInt(&ok);
        const QString path = out.filePath(QStringLiteral("%1x%1/apps/%2.png").arg(size).arg(name));
        if (!ok || size < 1 || size > 1024 || !renderPng(svg, size, path)) {
            std::fprintf(stderr, "rpcbench-iconpng: cannot write size '%s' to %s\n", argv[i],
                         qPrintable(path));
            return 1;
        }
    }
    return 0;
}
