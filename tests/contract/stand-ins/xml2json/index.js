/* Stand-in for xml2json 0.2 (see ../README.md): the open311 client calls it only for XML. */
exports.toJson = function () {
  throw new Error('xml2json stand-in: the open311 client runs in JSON here (tests/contract/stand-ins/README.md)');
};
