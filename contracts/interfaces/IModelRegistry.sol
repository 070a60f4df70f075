// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title AI-721 model registry
/// @notice One ERC-721 token per model. The creator's share of every prompt fee is owed to the
/// current `ownerOf(modelId)`, so selling the token sells the income.
interface IModelRegistry {
    /// @notice How outputs of a model are compared: bit for bit, or by a model-specific tolerance
    /// judged off chain by verifiers.
    enum VerificationMode {
        Exact,
        Tolerant
    }

    /// @notice The economic terms of a model, read by the task manager on every prompt.
    /// Layout: fee (96) | minAgentStake (96) | redundancy (8) | mode (8): one slot.
    struct ModelTerms {
        uint96 fee;
        uint96 minAgentStake;
        uint8 redundancy;
        VerificationMode mode;
    }

    /// @notice No model has id `modelId`.
    error ModelRegistryUnknownModel(uint256 modelId);
    /// @notice `caller` does not own model `modelId`.
    error ModelRegistryNotModelOwner(uint256 modelId, address caller);
    /// @notice The package digest is zero.
    error ModelRegistryEmptyDigest();
    /// @notice `redundancy` is outside [1, max].
    error ModelRegistryInvalidRedundancy(uint256 redundancy, uint256 max);
    /// @notice `fee` is above the hard maximum.
    error ModelRegistryFeeTooHigh(uint256 fee, uint256 max);
    /// @notice `minAgentStake` is below the governance floor.
    error ModelRegistryStakeBelowFloor(uint256 minAgentStake, uint256 floor);
    /// @notice The governance floor `floor` is above the hard maximum `max`.
    error ModelRegistryFloorOutOfBounds(uint256 floor, uint256 max);

    /// @notice A model was published as token `modelId`.
    event ModelRegistered(
        uint256 indexed modelId,
        address indexed creator,
        bytes32 packageDigest,
        string metadataURI,
        uint96 fee,
        uint96 minAgentStake,
        uint8 redundancy,
        VerificationMode mode
    );
    /// @notice The owner of `modelId` changed its fee.
    event ModelFeeChanged(uint256 indexed modelId, uint96 fee);
    /// @notice The owner of `modelId` changed its metadata URI.
    event ModelMetadataChanged(uint256 indexed modelId, string metadataURI);
    /// @notice Governance changed the minimum agent stake any model may ask for.
    event StakeFloorChanged(uint96 floor);

    /// @notice Publishes a model and mints its token to the caller.
    /// Requirements: non-zero digest; 1 <= redundancy <= MAX_REDUNDANCY; fee <= MAX_FEE;
    /// minAgentStake >= the stake floor.
    /// Emits {ModelRegistered} and {IERC721-Transfer}.
    function registerModel(bytes32 packageDigest, string calldata metadataURI, ModelTerms calldata terms)
        external
        returns (uint256 modelId);

    /// @notice Changes the fee of future prompts. Only the model's owner. Emits {ModelFeeChanged}.
    function setFee(uint256 modelId, uint96 fee) external;

    /// @notice Changes the metadata URI. Only the model's owner. Emits {ModelMetadataChanged}.
    function setMetadataURI(uint256 modelId, string calldata metadataURI) external;

    /// @notice Sets the minimum agent stake a new model may ask for. Only governance.
    /// Emits {StakeFloorChanged}.
    function setStakeFloor(uint96 floor) external;

    /// @notice The terms of `modelId`; reverts for an unknown model.
    function terms(uint256 modelId) external view returns (ModelTerms memory);

    /// @notice The SHA-256 digest of the model's deterministic package archive.
    function packageDigest(uint256 modelId) external view returns (bytes32);

    /// @notice How many models were registered; ids run from 1 to this number.
    function modelCount() external view returns (uint256);

    /// @notice The minimum agent stake a new model may ask for.
    function stakeFloor() external view returns (uint96);
}
