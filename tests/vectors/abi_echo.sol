// SPDX-License-Identifier: MIT
// Source of tests/vectors/abi_echo_artifact.json (abi and bytecode from solcjs 0.8.37
// --standard-json, optimizer off), deployed on anvil by tests/unit/eth/test_abi_evm.c:
// solc's own decoder checks calldata zara encodes, solc's encoder produces the return data
// and logs that zara decodes.
pragma solidity ^0.8.20;

contract AbiEcho {
    struct Result {
        uint256 taskId;
        uint256 submissionId;
        uint256 incumbentId;
        bytes32 seed;
        uint8 verdict;
        int256 scoreNew;
        int256 scoreOld;
        bytes32 digest;
    }

    struct Item {
        address who;
        string label;
        int16[] deltas;
    }

    event Echoed(uint256 indexed taskId, string indexed label, int8 indexed small, Result r, bytes blob, Item[] items);

    function echo(Result calldata r, bytes calldata blob, uint256[2] calldata a, uint32[] calldata s, Item[] calldata items)
        external
        pure
        returns (Result memory, bytes memory, uint256[2] memory, uint32[] memory, Item[] memory)
    {
        return (r, blob, a, s, items);
    }

    function emitIt(Result calldata r, string calldata label, int8 small, bytes calldata blob, Item[] calldata items)
        external
    {
        emit Echoed(r.taskId, label, small, r, blob, items);
    }
}
