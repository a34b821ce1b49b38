/* Stand-in for sparkxml (see ../README.md): the open311 client calls it only for XML. */
exports.parseXml = function () {
  throw new Error('sparkxml stand-in: the open311 client runs in JSON here (tests/contract/stand-ins/README.md)');
};
