// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";

import {IModelRegistry} from "../interfaces/IModelRegistry.sol";

/// @title AI-721 model registry
/// @notice "Eternal AI Model" (AI721): one ERC-721 token per published model, ids from 1. A model is
/// its package: the digest and every term except the fee are fixed at registration (a new package
/// is a new model). The token's owner may change the fee and the metadata URI, and receives the
/// creator's share of every prompt fee, so selling the token sells the income.
/// @dev Governance (the owner of this contract) only sets the stake floor new models must meet.
/// Tokens are minted with {ERC721-_mint}, not `_safeMint`: registering makes no call back into
/// the caller.
contract ModelRegistry is ERC721, Ownable2Step, IModelRegistry {
    /// @notice Highest redundancy `k` a model may declare.
    uint256 public constant MAX_REDUNDANCY = 6;
    /// @notice Highest fee per prompt a model may ask.
    uint256 public constant MAX_FEE = 1_000_000 ether;
    /// @notice Highest value governance may give the stake floor.
    uint256 public constant MAX_STAKE_FLOOR = 1_000_000 ether;

    /// @dev One model. Layout: packageDigest (256): slot 0 | terms: fee (96) | minAgentStake (96) |
    /// redundancy (8) | mode (8): slot 1 | metadataURI: slot 2 (and its string data).
    struct Model {
        bytes32 packageDigest;
        ModelTerms terms;
        string metadataURI;
    }

    mapping(uint256 modelId => Model) private _models;
    uint256 private _modelCount;
    uint96 private _stakeFloor;

    /// @param governance The owner, who may change the stake floor.
    /// @param stakeFloor_ The minimum agent stake a new model may ask for, at most MAX_STAKE_FLOOR.
    constructor(address governance, uint96 stakeFloor_) ERC721("Eternal AI Model", "AI721") Ownable(governance) {
        _setStakeFloor(stakeFloor_);
    }

    /// @inheritdoc IModelRegistry
    function registerModel(bytes32 packageDigest_, string calldata metadataURI, ModelTerms calldata terms_)
        external
        returns (uint256 modelId)
    {
        if (packageDigest_ == bytes32(0)) revert ModelRegistryEmptyDigest();
        if (terms_.redundancy == 0 || terms_.redundancy > MAX_REDUNDANCY) {
            revert ModelRegistryInvalidRedundancy(terms_.redundancy, MAX_REDUNDANCY);
        }
        if (terms_.fee > MAX_FEE) revert ModelRegistryFeeTooHigh(terms_.fee, MAX_FEE);
        if (terms_.minAgentStake < _stakeFloor) revert ModelRegistryStakeBelowFloor(terms_.minAgentStake, _stakeFloor);

        modelId = ++_modelCount;
        Model storage model = _models[modelId];
        model.packageDigest = packageDigest_;
        model.terms = terms_;
        model.metadataURI = metadataURI;
        emit ModelRegistered(
            modelId,
            msg.sender,
            packageDigest_,
            metadataURI,
            terms_.fee,
            terms_.minAgentStake,
            terms_.redundancy,
            terms_.mode
        );
        _mint(msg.sender, modelId);
    }

    /// @inheritdoc IModelRegistry
    function setFee(uint256 modelId, uint96 fee) external {
        _checkModelOwner(modelId);
        if (fee > MAX_FEE) revert ModelRegistryFeeTooHigh(fee, MAX_FEE);
        _models[modelId].terms.fee = fee;
        emit ModelFeeChanged(modelId, fee);
    }

    /// @inheritdoc IModelRegistry
    function setMetadataURI(uint256 modelId, string calldata metadataURI) external {
        _checkModelOwner(modelId);
        _models[modelId].metadataURI = metadataURI;
        emit ModelMetadataChanged(modelId, metadataURI);
    }

    /// @inheritdoc IModelRegistry
    function setStakeFloor(uint96 floor) external onlyOwner {
        _setStakeFloor(floor);
    }

    /// @inheritdoc IModelRegistry
    function terms(uint256 modelId) external view returns (ModelTerms memory t) {
        t = _models[modelId].terms;
        // Every registered model has a redundancy of at least 1: one read tells it exists.
        if (t.redundancy == 0) revert ModelRegistryUnknownModel(modelId);
    }

    /// @inheritdoc IModelRegistry
    function packageDigest(uint256 modelId) external view returns (bytes32) {
        _checkKnown(modelId);
        return _models[modelId].packageDigest;
    }

    /// @inheritdoc IModelRegistry
    function modelCount() external view returns (uint256) {
        return _modelCount;
    }

    /// @inheritdoc IModelRegistry
    function stakeFloor() external view returns (uint96) {
        return _stakeFloor;
    }

    /// @notice The model's metadata URI. Reverts with {IERC721Errors-ERC721NonexistentToken} for an
    /// unknown id.
    function tokenURI(uint256 tokenId) public view override returns (string memory) {
        _requireOwned(tokenId);
        return _models[tokenId].metadataURI;
    }

    /// @dev Sets the stake floor. Emits {StakeFloorChanged}.
    function _setStakeFloor(uint96 floor) private {
        if (floor > MAX_STAKE_FLOOR) revert ModelRegistryFloorOutOfBounds(floor, MAX_STAKE_FLOOR);
        _stakeFloor = floor;
        emit StakeFloorChanged(floor);
    }

    /// @dev Reverts unless `modelId` was registered (tokens are never burned).
    function _checkKnown(uint256 modelId) private view {
        if (modelId == 0 || modelId > _modelCount) revert ModelRegistryUnknownModel(modelId);
    }

    /// @dev Reverts unless the caller owns the token of known model `modelId`.
    function _checkModelOwner(uint256 modelId) private view {
        _checkKnown(modelId);
        if (_ownerOf(modelId) != msg.sender) revert ModelRegistryNotModelOwner(modelId, msg.sender);
    }
}
